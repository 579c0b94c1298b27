/**
 * One subscriber's failure never costs the others their briefing, and never silently costs that
 * subscriber the day:
 * - an address that cannot go in a header is marked rejected (with a reason that does not name it)
 *   and everyone else is still sent;
 * - a configuration fault that breaks every message stops the send and gives the claim back;
 * - a temporary failure (SES throttling that outlasts the backoff) makes the send handler throw, so
 *   Lambda's async retry runs it again, and the retry sends to that subscriber only.
 */

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FsSendLedger } from '../../../functions/adapters/fs-store.ts';
import { mjmlRenderer } from '../../../functions/adapters/mjml-renderer.ts';
import { loadTemplates } from '../../../functions/adapters/templates.ts';
import { type SendDependencies, sendBriefing } from '../../../functions/app/send-briefing.ts';
import { InputRejectedError, TransientError } from '../../../functions/core/errors.ts';
import { DEFAULT_BRIEFING_CONFIG } from '../../../functions/core/render/config.ts';
import { createSendHandler } from '../../../functions/handlers/send.ts';
import { createSendWorkerHandler } from '../../../functions/handlers/send-worker.ts';
import type { OutgoingMail, Subscriber } from '../../../functions/ports.ts';
import { fixedSubscribers, oneDigestStore, oneStoryDigest } from '../../support/one-story-digest.ts';

const DAY = '2022-02-28';
const DIGEST = oneStoryDigest(DAY);

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** Ledger entries as the local ledger wrote them: file contents, keyed by nothing personal. */
function ledgerEntries(root: string): { status: string; reason?: string }[] {
  const dir = join(root, 'sent', DAY);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')));
}

async function dependencies(emails: readonly string[], refuse: (to: string) => Error | null) {
  const root = mkdtempSync(join(tmpdir(), 'send-failures-'));
  folders.push(root);
  const subscribers: Subscriber[] = emails.map((email) => ({ email, subscribedAt: '2022-01-01T00:00:00Z' }));
  const delivered: OutgoingMail[] = [];
  const deps: SendDependencies = {
    store: oneDigestStore(DIGEST),
    subscribers: fixedSubscribers(subscribers),
    ledger: new FsSendLedger(root),
    mailer: {
      send: async (mail) => {
        const error = refuse(mail.to);
        if (error) throw error;
        delivered.push(mail);
        return { messageId: `id-${delivered.length}` };
      },
    },
    config: DEFAULT_BRIEFING_CONFIG,
    render: mjmlRenderer(await loadTemplates()),
    unsubscribeSecret: 'send-failures-test',
    timeZone: 'Europe/London',
    sleep: async () => {},
    random: () => 0.5,
  };
  return { deps, delivered, root };
}

const recipients = (mail: readonly OutgoingMail[]) => mail.map((m) => m.to).sort();

describe('an address that cannot go in a header', () => {
  it('is marked rejected without naming it, and everyone else is still sent', async () => {
    const emails = ['ann@example.org', 'ann@bücher.de', 'bob@example.org'];
    const { deps, delivered, root } = await dependencies(emails, () => null);
    const report = await sendBriefing({ day: DAY, now: new Date('2022-03-01T08:00:00Z') }, deps);

    expect(recipients(delivered)).toEqual(['ann@example.org', 'bob@example.org']);
    expect(report).toMatchObject({ sent: 2, failed: 1 });
    expect(report.failures).toEqual([
      { subscriberIndex: 1, reason: expect.stringContaining('not a plain email address'), permanent: true },
    ]);
    expect(report.failures[0]?.reason).not.toMatch(/ann|bücher/);
    // The reason still tells the operator what is wrong: log redaction leaves it whole.
    expect(report.failures[0]?.reason).not.toContain('[redacted-email]');
    const entries = ledgerEntries(root);
    expect(entries.map((e) => e.status).sort()).toEqual(['rejected', 'sent', 'sent']);
    expect(JSON.stringify(entries)).not.toMatch(/ann|bücher/);
  });

  it('does not stop the send handler: it returns, since a retry cannot fix the address', async () => {
    const { deps, delivered } = await dependencies(['üser@例え.jp', 'cy@example.org'], () => null);
    const report = await createSendHandler(deps)({ day: DAY });
    expect(report).toMatchObject({ sent: 1, failed: 1 });
    expect(recipients(delivered)).toEqual(['cy@example.org']);
  });
});

describe('a configuration fault that breaks every message', () => {
  it('stops the send and releases the claim, rather than rejecting every subscriber', async () => {
    const { deps, delivered, root } = await dependencies(['ann@example.org', 'bob@example.org'], () => null);
    const broken = { ...deps, config: { ...deps.config, senderAddress: 'briefing@bücher.de' } };
    await expect(sendBriefing({ day: DAY, now: new Date() }, broken)).rejects.toThrow(InputRejectedError);
    expect(delivered).toEqual([]);
    expect(ledgerEntries(root)).toEqual([]);
  });
});

describe('a temporary failure that outlasts the backoff', () => {
  const throttled = () => new TransientError('Maximum sending rate exceeded.');

  it('makes the send handler throw, naming only the count; a retry sends to the rest only', async () => {
    const emails = ['ann@example.org', 'bob@example.org', 'cat@example.org', 'dan@example.org'];
    let sesRecovered = false;
    const { deps, delivered, root } = await dependencies(emails, (to) =>
      !sesRecovered && (to === 'bob@example.org' || to === 'dan@example.org') ? throttled() : null,
    );
    const send = createSendHandler(deps);

    const first = send({ day: DAY });
    await expect(first).rejects.toThrow(TransientError);
    const message = await first.catch((error: Error) => error.message);
    expect(message).toMatch(/^2 subscriber\(s\)/);
    expect(message).not.toMatch(/@|bob|dan/);
    // Those sent stay sent; the throttled ones' claims were given back for the retry.
    expect(recipients(delivered)).toEqual(['ann@example.org', 'cat@example.org']);
    expect(ledgerEntries(root).map((e) => e.status)).toEqual(['sent', 'sent']);

    sesRecovered = true;
    const retry = await send({ day: DAY }); // what Lambda's async retry does: the same event again
    expect(retry).toMatchObject({ sent: 2, skipped: 2, failed: 0 });
    expect(delivered.map((m) => m.to)).toEqual([
      'ann@example.org',
      'cat@example.org',
      'bob@example.org',
      'dan@example.org',
    ]);
  });

  it('does not make it throw for a permanent refusal: retrying cannot change SES’s answer', async () => {
    const refused = Object.assign(new Error('Address blacklisted: bob@example.org'), {
      name: 'MessageRejected',
    });
    const { deps, root } = await dependencies(['ann@example.org', 'bob@example.org'], (to) =>
      to === 'bob@example.org' ? refused : null,
    );
    const report = await createSendHandler(deps)({ day: DAY });
    expect(report).toMatchObject({ sent: 1, failed: 1 });
    expect(report.failures[0]?.reason).toBe('Address blacklisted: [redacted-email]');
    expect(JSON.stringify(ledgerEntries(root))).not.toContain('bob');
  });

  it('makes the send-worker report the batch as failed, so SQS redelivers it; redelivery sends the rest', async () => {
    let sesRecovered = false;
    const emails = ['ann@example.org', 'bob@example.org'];
    // The worker sends to the batch's readers still on the list.
    const { deps, delivered } = await dependencies(emails, (to) =>
      !sesRecovered && to === 'bob@example.org' ? throttled() : null,
    );
    const worker = createSendWorkerHandler(deps);
    const record = { messageId: 'm1', body: JSON.stringify({ day: DAY, emails }) };
    expect(await worker({ Records: [record] } as never)).toEqual({
      batchItemFailures: [{ itemIdentifier: 'm1' }],
    });
    sesRecovered = true;
    expect(await worker({ Records: [record] } as never)).toEqual({ batchItemFailures: [] });
    expect(delivered.map((m) => m.to)).toEqual(emails);
  });
});
