/**
 * The reader endpoint's security promises, through the Lambda handler against the local stores:
 * forged, expired, altered, cross-purpose and replayed links get one identical refusal; no GET changes
 * anything; a sign-up answers the same status, headers and body for every address state; oversized,
 * malformed, wrongly typed and incomplete forms and header-breaking addresses get a clear 400/413 page
 * and store nothing; confirming clears a bounce suppression but never a complaint.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsSubscriberStore } from '../../../functions/adapters/fs-store.ts';
import { OutboxMailer } from '../../../functions/adapters/outbox-mailer.ts';
import { CONFIRMATION_VALID_HOURS } from '../../../functions/app/reader-flows.ts';
import { DEFAULT_BRIEFING_CONFIG } from '../../../functions/core/render/config.ts';
import { epochSeconds, signToken } from '../../../functions/core/signed-token.ts';
import type { Subscriber } from '../../../functions/core/subscriber.ts';
import { createReaderHandler } from '../../../functions/handlers/reader.ts';

const SECRET = 'reader-flow-test-key';
const DOMAIN = 'reader.example.on.aws';
let out: string;
let store: FsSubscriberStore;
let clock: Date;
let handler: ReturnType<typeof createReaderHandler>;

type Result = Exclude<LambdaFunctionURLResult, string> & { statusCode: number; body: string };

function event(method: string, path: string, options: { query?: string; body?: string; type?: string } = {}) {
  return {
    rawPath: path,
    rawQueryString: options.query ?? '',
    body: options.body ?? '',
    isBase64Encoded: false,
    headers: { 'content-type': options.type ?? 'application/x-www-form-urlencoded' },
    requestContext: { domainName: DOMAIN, http: { method, path } },
  } as unknown as LambdaFunctionURLEvent;
}

async function call(
  method: string,
  path: string,
  options: { query?: string; body?: string; type?: string } = {},
) {
  return (await handler(event(method, path, options))) as Result;
}

const signup = (email: string, extra = '') =>
  call('POST', '/signup', { body: `email=${encodeURIComponent(email)}${extra}` });
const outbox = () => {
  try {
    return readdirSync(join(out, 'outbox'));
  } catch {
    return [];
  }
};
const stored = async () => JSON.stringify(await store.list());

async function confirmLinkFor(email: string): Promise<string> {
  const name = outbox()
    .filter((n) => n.startsWith(email))
    .sort()
    .at(-1);
  if (!name) throw new Error(`no mail for ${email}`);
  const mail = await simpleParser(readFileSync(join(out, 'outbox', name)));
  const link = /https:\/\/\S+\/confirm\?token=\S+/.exec(mail.text ?? '')?.[0];
  if (!link) throw new Error('no confirm link');
  return link;
}

const tokenOf = (link: string) => new URL(link).searchParams.get('token') ?? '';

beforeEach(() => {
  out = mkdtempSync(join(tmpdir(), 'reader-flows-'));
  store = new FsSubscriberStore(out);
  clock = new Date('2026-12-01T09:00:00Z');
  handler = createReaderHandler(
    {
      subscribers: store,
      mailer: new OutboxMailer(join(out, 'outbox')),
      keys: async () => [{ version: 1, secret: SECRET }],
      unsubscribeSecret: async () => SECRET,
      config: DEFAULT_BRIEFING_CONFIG,
      defaults: { timeZone: 'Europe/London', hour: 7 },
      timeZones: ['Europe/London', 'Asia/Tokyo', 'America/New_York'],
      now: () => clock,
    },
    async () => {},
    0,
  );
});
afterEach(() => rmSync(out, { recursive: true, force: true }));

describe('sign-up', () => {
  it('answers the same status, headers and body for a new, pending, active, bounced and complained address', async () => {
    await store.add('active@example.org');
    await store.add('pending@example.org', { status: 'pending' });
    await store.update('pending@example.org', (s) => ({ ...s, confirmationSentAt: clock.toISOString() }));
    await store.add('bounced@example.org');
    await store.update(
      'bounced@example.org',
      (s): Subscriber => ({
        ...s,
        status: 'suppressed',
        suppression: { reason: 'bounce', at: '2026-11-01T00:00:00Z' },
      }),
    );
    await store.add('complained@example.org');
    await store.update(
      'complained@example.org',
      (s): Subscriber => ({
        ...s,
        status: 'suppressed',
        suppression: { reason: 'complaint', at: '2026-11-01T00:00:00Z' },
      }),
    );
    const answers = [];
    for (const email of [
      'new@example.org',
      'pending@example.org',
      'active@example.org',
      'bounced@example.org',
      'complained@example.org',
    ]) {
      const r = await signup(email);
      answers.push({ status: r.statusCode, headers: r.headers, body: r.body });
    }
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0]?.status).toBe(200);
    expect(answers[0]?.body).not.toMatch(/example\.org/);
    // Mail went only where a confirmation makes sense: the new and the bounced address.
    expect(
      outbox()
        .map((n) => n.split('-')[0])
        .sort(),
    ).toEqual(['bounced@example.org', 'new@example.org']);
  });

  it('sends one confirmation in the briefing’s design with a signed link valid for 48 hours, at most one per 24 hours', async () => {
    await signup('reader@example.org');
    await signup('reader@example.org');
    expect(outbox()).toHaveLength(1);
    const mail = await simpleParser(readFileSync(join(out, 'outbox', outbox()[0] ?? '')));
    expect(mail.subject).toBe('Confirm your News Digest subscription');
    expect(mail.html).toContain('border-bottom:4px solid #a11d21');
    const link = await confirmLinkFor('reader@example.org');
    expect(link.startsWith(`https://${DOMAIN}/confirm?token=v1.`)).toBe(true);
    clock = new Date(clock.getTime() + 25 * 3_600_000);
    await signup('reader@example.org');
    expect(outbox()).toHaveLength(2);
    expect(CONFIRMATION_VALID_HOURS).toBe(48);
  });

  it('stores nothing and sends nothing when the honeypot is filled, yet answers the same page', async () => {
    const honest = await signup('person@example.org');
    const bot = await signup('bot@example.org', '&website=http%3A%2F%2Fspam.example');
    expect(bot.statusCode).toBe(honest.statusCode);
    expect(bot.body).toBe(honest.body);
    expect(await store.get('bot@example.org')).toBeNull();
    expect(outbox().some((n) => n.startsWith('bot@'))).toBe(false);
  });

  it('refuses a 9 KB body with 413 and stores nothing', async () => {
    const before = await stored();
    const r = await signup('big@example.org', `&website=&pad=${'x'.repeat(9 * 1024)}`);
    expect(r.statusCode).toBe(413);
    expect(r.body).toContain('too large');
    expect(await stored()).toBe(before);
  });

  it.each([
    [
      'a wrong content type',
      { body: 'email=a%40example.org', type: 'application/json' },
      /x-www-form-urlencoded/,
    ],
    ['a JSON body', { body: '{"email":"a@example.org"}', type: 'text/plain' }, /x-www-form-urlencoded/],
    ['a malformed body', { body: 'email=%E0%A4%A' }, /not properly encoded/],
    ['a missing field', { body: 'name=Ada' }, /give an email address/],
    ['an empty address', { body: 'email=' }, /give an email address/],
    [
      'a header-breaking address',
      { body: `email=${encodeURIComponent('a@example.org\r\nBcc: x@evil.example')}` },
      /span lines/,
    ],
    [
      'a display-name address',
      { body: `email=${encodeURIComponent('Ada <a@example.org>')}` },
      /plain address/,
    ],
    ['an international address', { body: `email=${encodeURIComponent('ада@пример.рф')}` }, /plain address/],
  ])('answers %s with a clear 400 page and stores nothing', async (_name, options, message) => {
    const r = await call('POST', '/signup', options);
    expect(r.statusCode).toBe(400);
    expect(r.body).toMatch(message);
    expect(r.body).toContain('Nothing was changed');
    expect(await store.list()).toEqual([]);
    expect(outbox()).toEqual([]);
  });

  it('answers every sign-up after the same minimum wait, so sending or not cannot be timed', async () => {
    const waits: number[] = [];
    const timed = createReaderHandler(
      {
        subscribers: store,
        mailer: new OutboxMailer(join(out, 'outbox')),
        keys: async () => [{ version: 1, secret: SECRET }],
        unsubscribeSecret: async () => SECRET,
        config: DEFAULT_BRIEFING_CONFIG,
        defaults: { timeZone: 'Europe/London', hour: 7 },
        timeZones: ['Europe/London'],
        now: () => clock,
      },
      async (ms) => {
        waits.push(ms);
      },
      60_000,
    );
    await store.add('active@example.org');
    for (const email of ['new@example.org', 'active@example.org']) {
      const started = Date.now();
      await timed(event('POST', '/signup', { body: `email=${encodeURIComponent(email)}` }));
      // The wait tops the work up to the minimum: work plus wait is the same for both.
      expect(Date.now() - started + (waits.at(-1) ?? 0)).toBeGreaterThanOrEqual(60_000);
    }
    expect(waits).toHaveLength(2);
  });

  it('refuses GET on the sign-up path with 405 and changes nothing', async () => {
    const r = await call('GET', '/signup', { query: 'email=a%40example.org' });
    expect(r.statusCode).toBe(405);
    expect(await store.list()).toEqual([]);
  });
});

describe('confirm and preference links', () => {
  it('confirm: GET shows a button and changes nothing; POST activates; the same link again is refused', async () => {
    await signup('reader@example.org');
    const link = await confirmLinkFor('reader@example.org');
    const query = new URL(link).search.slice(1);
    const shown = await call('GET', '/confirm', { query });
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toMatch(/<form method="post"/);
    expect((await store.get('reader@example.org'))?.status).toBe('pending');
    const done = await call('POST', '/confirm', { query });
    expect(done.statusCode).toBe(200);
    expect((await store.get('reader@example.org'))?.status).toBe('active');
    const again = await call('POST', '/confirm', { query });
    expect(again.statusCode).toBe(403);
  });

  it('gives forged, altered, expired, wrong-purpose, unknown-key and replayed links one identical refusal', async () => {
    await signup('reader@example.org');
    const link = await confirmLinkFor('reader@example.org');
    const token = tokenOf(link);
    await call('POST', '/confirm', { query: `token=${encodeURIComponent(token)}` });
    const now = epochSeconds(clock);
    const claims = { subject: 'reader@example.org', issuedAt: now, expiresAt: now + 3600 };
    const bad = {
      forged: signToken({ ...claims, purpose: 'confirm' }, { version: 1, secret: 'not-the-key' }),
      altered: `${token.slice(0, -2)}${token.endsWith('A') ? 'BB' : 'AA'}`,
      expired: signToken(
        { ...claims, purpose: 'preferences', issuedAt: now - 100 * 86_400, expiresAt: now - 1 },
        { version: 1, secret: SECRET },
      ),
      wrongPurpose: signToken({ ...claims, purpose: 'preferences' }, { version: 1, secret: SECRET }),
      unknownKey: signToken({ ...claims, purpose: 'confirm' }, { version: 2, secret: SECRET }),
      replayed: token,
      empty: '',
      junk: '<script>alert(1)</script>',
    };
    const refusals = [];
    for (const [name, t] of Object.entries(bad)) {
      const path = name === 'expired' ? '/preferences' : '/confirm';
      for (const method of ['GET', 'POST']) {
        const r = await call(method, path, {
          query: `token=${encodeURIComponent(t)}`,
          body: 'action=save&cadence=weekly&timeZone=UTC&hour=3',
        });
        refusals.push({ status: r.statusCode, headers: r.headers, body: r.body });
      }
    }
    for (const refusal of refusals) expect(refusal).toEqual(refusals[0]);
    expect(refusals[0]?.status).toBe(403);
    expect((await store.get('reader@example.org'))?.cadence).toBeUndefined();
  });

  it('preferences: GET changes nothing; POST saves cadence, time zone and hour; refuses bad values with 400', async () => {
    await store.add('reader@example.org');
    const now = epochSeconds(clock);
    const token = signToken(
      { purpose: 'preferences', subject: 'reader@example.org', issuedAt: now, expiresAt: now + 86_400 },
      { version: 1, secret: SECRET },
    );
    const query = `token=${encodeURIComponent(token)}`;
    const before = await stored();
    const shown = await call('GET', '/preferences', { query });
    expect(shown.statusCode).toBe(200);
    expect(shown.headers?.['content-security-policy']).toMatch(/default-src 'none'; style-src 'sha256-/);
    expect(await stored()).toBe(before);
    const saved = await call('POST', '/preferences', {
      query,
      body: 'action=save&cadence=weekly&timeZone=Asia%2FTokyo&hour=6',
    });
    expect(saved.statusCode).toBe(200);
    expect(await store.get('reader@example.org')).toMatchObject({
      cadence: 'weekly',
      timeZone: 'Asia/Tokyo',
      hour: 6,
    });
    const wrong = await call('POST', '/preferences', {
      query,
      body: 'action=save&cadence=hourly&timeZone=Mars%2FOlympus&hour=25',
    });
    expect(wrong.statusCode).toBe(400);
    expect(await store.get('reader@example.org')).toMatchObject({ cadence: 'weekly', hour: 6 });
    const missing = await call('POST', '/preferences', { query, body: 'action=save&cadence=daily' });
    expect(missing.statusCode).toBe(400);
    const gone = await call('POST', '/preferences', { query, body: 'action=unsubscribe' });
    expect(gone.statusCode).toBe(200);
    expect(await store.get('reader@example.org')).toBeNull();
  });

  it('confirming clears a bounce suppression but never a complaint', async () => {
    await store.add('bounced@example.org');
    await store.update(
      'bounced@example.org',
      (s): Subscriber => ({
        ...s,
        status: 'suppressed',
        suppression: { reason: 'bounce', at: '2026-11-01T00:00:00Z' },
      }),
    );
    await signup('bounced@example.org');
    await call('POST', '/confirm', {
      query: new URL(await confirmLinkFor('bounced@example.org')).search.slice(1),
    });
    expect(await store.get('bounced@example.org')).toMatchObject({ status: 'active' });
    expect((await store.get('bounced@example.org'))?.suppression).toBeUndefined();

    await store.add('complained@example.org');
    await store.update(
      'complained@example.org',
      (s): Subscriber => ({
        ...s,
        status: 'suppressed',
        suppression: { reason: 'complaint', at: '2026-11-01T00:00:00Z' },
      }),
    );
    // Even a validly signed link for the current confirmation cannot lift a complaint.
    const sent = clock.toISOString();
    await store.update('complained@example.org', (s) => ({ ...s, confirmationSentAt: sent }));
    const now = epochSeconds(clock);
    const token = signToken(
      { purpose: 'confirm', subject: 'complained@example.org', issuedAt: now, expiresAt: now + 3600 },
      { version: 1, secret: SECRET },
    );
    await call('POST', '/confirm', { query: `token=${encodeURIComponent(token)}` });
    expect(await store.get('complained@example.org')).toMatchObject({
      status: 'suppressed',
      suppression: { reason: 'complaint' },
    });
  });
});
