/**
 * Subscriber addresses never reach the logs. The send and send-worker handlers run with dependencies
 * that fail the way real ones do, with the address inside the error (SES MessageRejected names it,
 * a storage error may carry it in its message or cause), and the Powertools output is captured.
 */
import { existsSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../functions/adapters/logger.ts';
import { mjmlRenderer } from '../../../functions/adapters/mjml-renderer.ts';
import { loadTemplates } from '../../../functions/adapters/templates.ts';
import { TransientError } from '../../../functions/core/errors.ts';
import { redactEmails } from '../../../functions/core/redact.ts';
import { DEFAULT_BRIEFING_CONFIG } from '../../../functions/core/render/config.ts';
import type { Digest } from '../../../functions/core/types.ts';
import { createSendHandler } from '../../../functions/handlers/send.ts';
import { createSendWorkerHandler } from '../../../functions/handlers/send-worker.ts';
import type { DigestStore, Mailer, SendLedger, SubscriberStore } from '../../../functions/ports.ts';
import { MemorySubscriberStore } from '../../support/memory-subscribers.ts';
import { seedsLikeDigest } from '../render/fixtures.ts';
import { captureOutput } from './capture-logs.ts';

/** Address shapes real lists hold: plus tags, subdomains, capitals, apostrophes, long TLDs, digits. */
const ADDRESSES = [
  'ada.lovelace+news@example.org',
  'Grace.Hopper@Mail.Example.NET',
  "o'brien@example.ie",
  'x_y-z.42@sub.domain.example.museum',
  'refused@example.com',
  'throttled@example.co.uk',
];

const digest: Digest = seedsLikeDigest();

const store: DigestStore = {
  loadState: async () => null,
  saveState: async () => '',
  putDigest: async () => {},
  getDigest: async (day) => (day === digest.date ? digest : null),
  listDigestDays: async () => [digest.date],
  putArticleRecords: async () => {},
  derivedRevision: async () => null,
  quarantine: async () => {},
};

const subscribers: SubscriberStore = new MemorySubscriberStore(
  ADDRESSES.map((email) => ({ email, subscribedAt: 'x' })),
);

/** Fails for some addresses the way SES does, with the address in the message and in the cause. */
const mailer: Mailer = {
  async send(mail) {
    if (mail.to === 'refused@example.com') {
      throw Object.assign(new Error(`Email address is not verified: ${mail.to}`), {
        name: 'MessageRejected',
        cause: new Error(`550 5.1.1 <${mail.to}>: Recipient address rejected`),
      });
    }
    if (mail.to === 'throttled@example.co.uk') {
      throw new TransientError(`Throttled while sending to ${mail.to}`, {
        cause: { recipient: mail.to, detail: [`retry ${mail.to} later`] },
      });
    }
    if (mail.to.startsWith('x_y-z'))
      throw new Error(`Malformed recipient ${JSON.stringify({ to: mail.to })}`);
    return { messageId: `id-${mail.to}` };
  },
};

const ledger: SendLedger = {
  claim: async () => true,
  markSent: async (_day, email) => {
    if (email.startsWith("o'brien")) throw new Error(`Could not write the ledger entry for ${email}`);
  },
  markRejected: async () => {},
  markExpired: async () => {},
  release: async () => {},
};

function assertNoAddress(output: string) {
  for (const address of ADDRESSES) {
    expect(output).not.toContain(address);
    expect(output.toLowerCase()).not.toContain(address.toLowerCase());
    expect(output).not.toContain(address.split('@')[1] === undefined ? address : `@${address.split('@')[1]}`);
  }
}

describe('subscriber addresses in logs', () => {
  it('are redacted from the send handler output even when every error names them', async () => {
    const send = createSendHandler({
      store,
      subscribers,
      ledger,
      mailer,
      config: DEFAULT_BRIEFING_CONFIG,
      render: mjmlRenderer(await loadTemplates()),
      unsubscribeSecret: 'secret',
      sleep: async () => {},
    });
    // The throttled address makes the handler throw (so Lambda retries it); the runtime logs that error
    // unredacted, so its message must not name anyone either.
    const { result, output } = await captureOutput(() =>
      send({ day: digest.date }).then(
        () => null,
        (error: Error) => error,
      ),
    );
    expect(result).toBeInstanceOf(TransientError);
    assertNoAddress(`${result?.message}\n${result?.stack}`);
    // the failures really happened and were logged
    expect(output.split('\n').filter((line) => line.includes('Send failed')).length).toBeGreaterThanOrEqual(
      3,
    );
    expect(output).toContain('[redacted-email]');
    assertNoAddress(output);
  });

  it('are redacted from the send-worker output, including error causes and stacks', async () => {
    const worker = createSendWorkerHandler({
      store,
      subscribers,
      ledger,
      mailer,
      config: DEFAULT_BRIEFING_CONFIG,
      render: mjmlRenderer(await loadTemplates()),
      unsubscribeSecret: 'secret',
      sleep: async () => {},
    });
    const message = (id: string, body: unknown) => ({ messageId: id, body: JSON.stringify(body) }) as never;
    const { result, output } = await captureOutput(() =>
      worker({
        Records: [
          message('ok', { day: digest.date, emails: ADDRESSES }),
          message('no-digest', { day: '1999-01-01', emails: ADDRESSES }),
          message('garbage', `not json with ${ADDRESSES[0]}`),
        ],
      } as never),
    );
    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(
      expect.arrayContaining(['no-digest', 'garbage']),
    );
    expect(output).toContain('Batch failed');
    assertNoAddress(output);
  });

  it('are redacted whatever shape the logged value has', async () => {
    const logger = createLogger('redaction-test');
    const { output } = await captureOutput(async () => {
      logger.info(`Message naming ${ADDRESSES[0]}`);
      logger.warn('Nested', { deep: { list: [ADDRESSES[1], { again: ADDRESSES[2] }] } });
      logger.error('Error object', new Error(`boom for ${ADDRESSES[3]}`, { cause: new Error(ADDRESSES[4]) }));
      logger.info('In a header', { to: `Ada <${ADDRESSES[0]}>`, list: ADDRESSES.join(', ') });
    });
    expect(output.split('\n').filter(Boolean)).toHaveLength(4);
    assertNoAddress(output);
  });
});

/**
 * Shapes an ASCII-only address pattern let through, each with the parts that must not survive: the
 * local part and every label of the domain that could identify the subscriber.
 */
const UNUSUAL_ADDRESSES: readonly { address: string; parts: readonly string[] }[] = [
  { address: 'ann@bücher.de', parts: ['ann@', 'bücher'] },
  { address: 'üser@例え.jp', parts: ['üser', '例え'] },
  { address: 'zelda@localhost', parts: ['zelda', 'localhost'] },
  { address: 'jörg.lund@example.se', parts: ['jö', 'lund', 'example.se'] },
  { address: "o'hara@example.ie", parts: ["o'", 'hara', 'example.ie'] },
  { address: 'alpha/beta@example.com', parts: ['alpha', 'beta', 'example.com'] },
  { address: '"ann smith"@example.org', parts: ['ann smith', 'smith', 'example.org'] },
  { address: 'kim+news@sub.例え.jp', parts: ['kim', 'news', '例え'] },
  { address: 'Émile@xn--bcher-kva.de', parts: ['É', 'mile', 'bcher'] },
];

const REPO_ROOT = join(import.meta.dirname, '../../..');

/**
 * The text with the checkout's own paths taken out: stack frames and error locations carry them, and
 * a checkout in a folder named like a part of an address (`news-digest` holds "news") must not read
 * as a leak. Only the address is under test, not where the project was cloned.
 */
function withoutLocalPaths(text: string): string {
  const roots = [
    REPO_ROOT,
    realpathSync(REPO_ROOT),
    // Stryker's sandbox (npm run mutation) has no node_modules of its own when the checkout's is a symlink.
    ...(existsSync(join(REPO_ROOT, 'node_modules'))
      ? [dirname(realpathSync(join(REPO_ROOT, 'node_modules')))]
      : []),
    process.cwd(),
    homedir(),
  ];
  let result = text;
  for (const root of [...new Set(roots)].sort((a, b) => b.length - a.length)) {
    for (const form of [root, encodeURI(root), JSON.stringify(root).slice(1, -1)]) {
      result = result.split(form).join('<path>');
    }
  }
  return result;
}

/** Every string value in the logged JSON lines, unescaped, so a `\u00fc` escape cannot hide a leak. */
function loggedStrings(output: string): string {
  const values: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') values.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(walk);
  };
  for (const line of output.split('\n').filter(Boolean)) walk(JSON.parse(line));
  return values.join('\n');
}

describe('addresses an ASCII-only pattern misses', () => {
  it.each(UNUSUAL_ADDRESSES)('leave no part of $address in the log', async ({ address, parts }) => {
    const logger = createLogger('redaction-test');
    const { output } = await captureOutput(async () => {
      logger.info(`Sending to ${address} now`);
      logger.warn('Rejected', { reason: `Address blacklisted: ${address}`, header: `To: Zed <${address}>` });
      logger.error('Failed', new Error(`Recipient ${address} refused`, { cause: new Error(`<${address}>`) }));
      logger.info('Link', { url: `mailto:${address}`, list: `x@y.org,${address};z@w.org` });
    });
    const text = withoutLocalPaths(`${output}\n${loggedStrings(output)}`);
    expect(output).toContain('[redacted-email]');
    for (const part of parts) expect(text).not.toContain(part);
  });

  it('redacts an address in a URL query string, URL-encoded or not', () => {
    const redacted = redactEmails(
      'GET https://news.example/unsubscribe?to=ann%40example.org&x=1 and https://shop.example/?to=ülla@example.org',
    );
    expect(redacted).not.toContain('ann');
    expect(redacted).not.toContain('ülla');
    expect(redacted).not.toContain('example.org');
  });

  it('keeps text without an address, and scoped-package paths in stack frames, as they were', () => {
    const text =
      'Sent 3 of 4 (1 failed: throttled; retry later) at 2022-02-28T07:00:00Z\n' +
      '    at S3Client.send (/var/task/node_modules/@smithy/smithy-client/dist-cjs/index.js:12:34)';
    expect(redactEmails(text)).toBe(text);
  });

  // Its speed is `npm run bench -- --only redaction-long-line`; a backtracking pattern would not finish here.
  it('redacts an address after a long run of characters with no @', () => {
    const text = `${'a'.repeat(200_000)} ${'b-'.repeat(100_000)} at@sign`;
    const redacted = redactEmails(text);
    expect(redacted.endsWith(' [redacted-email]')).toBe(true);
    expect(redacted.startsWith('a'.repeat(200_000))).toBe(true);
  });
});
