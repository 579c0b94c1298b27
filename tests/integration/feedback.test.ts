/**
 * The feedback function's real handler against s3rver: SES events (fixtures in the documented
 * event-publishing shape) change the subscriber list in the bucket; an address not on the list changes
 * nothing; a malformed or unknown event is reported as that message's failure (SQS retries it, then
 * parks it in the DLQ) and never blocks the others. The local `feedback` command applies the same logic.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3SubscriberStore } from '../../functions/adapters/s3-subscriber-store.ts';
import { statusLabel } from '../../functions/core/subscriber.ts';
import { createFeedbackHandler } from '../../functions/handlers/feedback.ts';
import { captureOutput } from '../unit/security/capture-logs.ts';
import { type LocalAws, useLocalAws } from './support/aws-env.ts';

const ROOT = join(import.meta.dirname, '../..');
const FIXTURES = join(ROOT, 'tests/fixtures/ses-events');
const fixtureText = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

function queueEvent(bodies: string[]): SQSEvent {
  return {
    Records: bodies.map((body, i) => ({ messageId: `m${i}`, body })),
  } as unknown as SQSEvent;
}

let aws: LocalAws;
let store: S3SubscriberStore;
let work: string;

beforeAll(async () => {
  aws = await useLocalAws();
  store = new S3SubscriberStore(aws.bucket);
  for (const name of ['ann', 'bob', 'cat', 'dan', 'eve', 'fay']) await store.add(`${name}@example.org`);
  work = mkdtempSync(join(tmpdir(), 'feedback-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const status = async (email: string) => {
  const record = await store.get(email);
  return record === null ? null : statusLabel(record);
};

describe('feedback handler on s3rver', () => {
  it('applies a batch: bounces, complaints and deliveries by type; bad events fail alone', async () => {
    const handler = createFeedbackHandler({ subscribers: store });
    const before = (await store.list()).length;
    const logs = await captureOutput(() =>
      handler(
        queueEvent([
          fixtureText('bounce-permanent-several-recipients.json'),
          fixtureText('unknown-type.json'),
          fixtureText('complaint-no-feedback-type.json'),
          fixtureText('malformed-bounce.json'),
          fixtureText('complaint-abuse.json'),
          '{"truncated',
          fixtureText('delivery-delay.json'),
        ]),
      ),
    );
    expect(logs.result).toEqual({
      batchItemFailures: [{ itemIdentifier: 'm1' }, { itemIdentifier: 'm3' }, { itemIdentifier: 'm5' }],
    });
    expect(await status('ann@example.org')).toBe('suppressed: bounce');
    expect(await status('bob@example.org')).toBe('suppressed: bounce');
    expect(await status('dan@example.org')).toBe('suppressed: complaint');
    expect(await status('eve@example.org')).toBe('suppressed: complaint');
    expect(await status('fay@example.org')).toBe('active');
    // stranger@example.net bounced too, but is not on the list: nothing was added for it.
    expect(await store.get('stranger@example.net')).toBeNull();
    expect((await store.list()).length).toBe(before);
    // The skipped events are logged with their type, and no address reaches the logs.
    expect(logs.output).toContain('SES event of type \\"Teleport\\" skipped');
    expect(logs.output).toContain('SES event of type \\"Bounce\\" skipped: it has no bouncedRecipients');
    expect(logs.output).not.toMatch(/[a-z]+@example\.(org|net)/);
  });

  it('suppresses after three transient bounces in a row, and a delivery in between resets the run', async () => {
    const handler = createFeedbackHandler({ subscribers: store });
    const bounce = fixtureText('bounce-transient.json');
    const delivery = fixtureText('delivery.json');
    await handler(queueEvent([bounce, bounce, delivery, bounce, bounce]));
    expect(await store.get('cat@example.org')).toMatchObject({ transientBounces: 2 });
    expect(await status('cat@example.org')).toBe('active');
    await handler(queueEvent([bounce]));
    expect(await status('cat@example.org')).toBe('suppressed: bounce');
  });

  it('replays an event on the local list with the feedback command', async () => {
    writeFileSync(
      join(work, 'subscribers.json'),
      JSON.stringify({ subscribers: [{ email: 'dan@example.org', subscribedAt: '2026-01-01T00:00:00Z' }] }),
    );
    const run = (file: string) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          [
            '--import',
            join(ROOT, 'node_modules/tsx/dist/loader.mjs'),
            join(ROOT, 'functions/cli.ts'),
            'feedback',
            file,
            '--out',
            work,
          ],
          (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
        );
      });
    const applied = await run(join(FIXTURES, 'complaint-no-feedback-type.json'));
    expect(applied).toMatchObject({ code: 0 });
    expect(applied.stdout).toContain(
      'Complaint: 1 subscriber record(s) updated (now: suppressed: complaint)',
    );
    const refused = await run(join(FIXTURES, 'unknown-type.json'));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('"Teleport" skipped: not an SES event type. Nothing was changed.');
  });
});
