/**
 * The send Lambda against real local S3 (s3rver) and SES (aws-ses-v2-local): the briefing goes to every
 * subscriber exactly once, and a second invocation sends nothing new.
 */

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { mjmlRenderer } from '../../functions/adapters/mjml-renderer.ts';
import { S3ArticleSource } from '../../functions/adapters/s3-article-source.ts';
import { S3DigestStore } from '../../functions/adapters/s3-digest-store.ts';
import { S3SendLedger } from '../../functions/adapters/s3-send-ledger.ts';
import { S3SubscriberStore } from '../../functions/adapters/s3-subscriber-store.ts';
import { SesMailer } from '../../functions/adapters/ses-mailer.ts';
import { loadTemplates } from '../../functions/adapters/templates.ts';
import { ingestBatch } from '../../functions/app/ingest-batch.ts';
import { addressKey } from '../../functions/core/address-key.ts';
import { DEFAULT_BRIEFING_CONFIG } from '../../functions/core/render/config.ts';
import { createSendHandler } from '../../functions/handlers/send.ts';
import { type LocalAws, useLocalAws } from './support/aws-env.ts';

const SEEDS = join(import.meta.dirname, '../../seeds');
const SUBSCRIBERS = ['ada@example.org', 'grace@example.net', 'linus@example.com'];

interface StoredMail {
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { html?: string; text?: string };
}

async function sentMail(aws: LocalAws): Promise<StoredMail[]> {
  const response = await fetch(`${aws.sesEndpoint}/store`);
  return ((await response.json()) as { emails: StoredMail[] }).emails;
}

let aws: LocalAws;
let send: ReturnType<typeof createSendHandler>;

beforeAll(async () => {
  aws = await useLocalAws();
  await fetch(`${aws.sesEndpoint}/clear-store`, { method: 'POST' });
  for (const name of readdirSync(SEEDS)) await aws.put(`incoming/${name}`, readFileSync(join(SEEDS, name)));
  await ingestBatch(
    readdirSync(SEEDS)
      .sort()
      .map((key) => ({ key, arrivedAt: new Date('2026-11-22T08:00:00Z') })),
    { source: new S3ArticleSource(aws.bucket), store: new S3DigestStore(aws.bucket) },
  );
  const subscribers = new S3SubscriberStore(aws.bucket);
  for (const email of SUBSCRIBERS) await subscribers.add(email);
  send = createSendHandler({
    store: new S3DigestStore(aws.bucket),
    subscribers,
    ledger: new S3SendLedger(aws.bucket, 'integration-test-secret'),
    mailer: new SesMailer(),
    config: DEFAULT_BRIEFING_CONFIG,
    render: mjmlRenderer(await loadTemplates()),
    unsubscribeSecret: 'integration-test-secret',
    timeZone: 'Europe/London',
  });
});

describe('send handler through aws-ses-v2-local', () => {
  it('delivers the rendered briefing of the requested day to each subscriber', async () => {
    const report = await send({ day: '2022-02-28' });
    expect(report).toMatchObject({ day: '2022-02-28', sent: 3, skipped: 0, failed: 0 });
    const mail = await sentMail(aws);
    expect(mail.flatMap((m) => m.destination.to).sort()).toEqual([...SUBSCRIBERS].sort());
    for (const message of mail) {
      expect(message.from).toContain(DEFAULT_BRIEFING_CONFIG.senderAddress);
      expect(message.body.html).toContain('<html');
      expect(message.body.text ?? '').toMatch(/unsubscribe/i);
    }
  });

  it('sends nothing new when invoked again for the same day', async () => {
    const report = await send({ day: '2022-02-28' });
    expect(report).toMatchObject({ sent: 0, skipped: 3, failed: 0 });
    expect(await sentMail(aws)).toHaveLength(3);
  });

  it('records each delivery in the send ledger under sent/<day>/', async () => {
    const ledger = new S3SendLedger(aws.bucket, 'integration-test-secret');
    for (const email of SUBSCRIBERS) expect(await ledger.claim('2022-02-28', email)).toBe(false);
    expect(await ledger.claim('2022-02-28', 'newcomer@example.org')).toBe(true);
  });

  it('names ledger entries by the keyed hash, so a bucket listing does not confirm a guessed address', async () => {
    const listed = await aws.s3.send(
      new ListObjectsV2Command({ Bucket: aws.bucket, Prefix: 'sent/2022-02-28/' }),
    );
    const names = (listed.Contents ?? []).map((o) => o.Key).sort();
    const keyed = SUBSCRIBERS.map((e) => `sent/2022-02-28/${addressKey(e, 'integration-test-secret')}.json`);
    expect(names).toEqual(expect.arrayContaining(keyed));
    for (const email of SUBSCRIBERS) {
      const unkeyed = createHash('sha256').update(email).digest('hex');
      expect(names.join('\n')).not.toContain(unkeyed);
    }
  });

  it('treats an entry the unkeyed release wrote as taken, so a deploy on a send day re-sends no one', async () => {
    const unkeyed = createHash('sha256').update('ada@example.org').digest('hex');
    await aws.put(`sent/2022-03-01/${unkeyed}.json`, JSON.stringify({ day: '2022-03-01', status: 'sent' }));
    const ledger = new S3SendLedger(aws.bucket, 'integration-test-secret');
    expect(await ledger.claim('2022-03-01', 'ada@example.org')).toBe(false);
    expect(
      await ledger.claim('2022-03-01', 'ada@example.org', { staleBefore: new Date('2100-01-01T00:00:00Z') }),
    ).toBe(false);
    expect(await ledger.claim('2022-03-01', 'grace@example.net')).toBe(true);
  });
});
