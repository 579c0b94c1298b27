/**
 * A send skips suppressed and pending readers, with aws-ses-v2-local as the SES and s3rver as the
 * bucket: only active readers get mail, each through the configuration set, and the ledger records why
 * a suppressed reader got none.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SESClient } from '@aws-sdk/client-ses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mjmlRenderer } from '../../functions/adapters/mjml-renderer.ts';
import { S3ArticleSource } from '../../functions/adapters/s3-article-source.ts';
import { S3DigestStore } from '../../functions/adapters/s3-digest-store.ts';
import { S3SendLedger } from '../../functions/adapters/s3-send-ledger.ts';
import { S3SubscriberStore } from '../../functions/adapters/s3-subscriber-store.ts';
import { SesMailer } from '../../functions/adapters/ses-mailer.ts';
import { loadTemplates } from '../../functions/adapters/templates.ts';
import { ingestBatch } from '../../functions/app/ingest-batch.ts';
import { sendBriefing } from '../../functions/app/send-briefing.ts';
import { DEFAULT_BRIEFING_CONFIG } from '../../functions/core/render/config.ts';
import { suppressSubscriber } from '../../functions/core/subscriber.ts';
import { startPrivateSes } from '../hostile/fault-injection.ts';
import { type LocalAws, useLocalAws } from './support/aws-env.ts';

const SEEDS = join(import.meta.dirname, '../../seeds');
const DAY = '2022-02-28';

let aws: LocalAws;
let ses: Awaited<ReturnType<typeof startPrivateSes>>;

afterAll(() => ses?.stop());

beforeAll(async () => {
  aws = await useLocalAws();
  ses = await startPrivateSes();
  for (const name of readdirSync(SEEDS)) await aws.put(`incoming/${name}`, readFileSync(join(SEEDS, name)));
  await ingestBatch(
    readdirSync(SEEDS)
      .sort()
      .map((key) => ({ key, arrivedAt: new Date('2026-11-22T08:00:00Z') })),
    { source: new S3ArticleSource(aws.bucket), store: new S3DigestStore(aws.bucket) },
  );
});

describe('a send with suppressed readers on the list', () => {
  it('mails the active readers only, and the ledger says why the suppressed ones got nothing', async () => {
    const subscribers = new S3SubscriberStore(aws.bucket);
    for (const email of ['act@example.org', 'bou@example.org', 'com@example.org'])
      await subscribers.add(email);
    await subscribers.add('pen@example.org', { status: 'pending' });
    await subscribers.update('bou@example.org', (s) =>
      suppressSubscriber(s, 'bounce', '2026-11-20T00:00:00Z'),
    );
    await subscribers.update('com@example.org', (s) =>
      suppressSubscriber(s, 'complaint', '2026-11-20T00:00:00Z'),
    );

    // Every SendRawEmail names the configuration set: read from the request as it leaves the client.
    const sesClient = new SESClient({ endpoint: ses.endpoint });
    const requestBodies: string[] = [];
    sesClient.middlewareStack.add(
      (next) => async (args) => {
        requestBodies.push(String((args.request as { body?: unknown }).body ?? ''));
        return next(args);
      },
      { step: 'finalizeRequest' },
    );
    const deps = {
      store: new S3DigestStore(aws.bucket),
      subscribers,
      ledger: new S3SendLedger(aws.bucket, 'integration-test-secret'),
      mailer: new SesMailer(sesClient, 'news-digest-test'),
      config: DEFAULT_BRIEFING_CONFIG,
      render: mjmlRenderer(await loadTemplates()),
      unsubscribeSecret: 'integration-test-secret',
    };
    const report = await sendBriefing({ day: DAY, now: new Date('2026-11-22T08:00:00Z') }, deps);
    expect(report).toMatchObject({ day: DAY, sent: 1, suppressed: 2, failed: 0 });

    const store = (await (await fetch(`${ses.endpoint}/store`)).json()) as {
      emails: { destination: { to: string[] } }[];
    };
    expect(store.emails.flatMap((m) => m.destination.to)).toEqual(['act@example.org']);
    const sends = requestBodies.filter((body) => body.includes('Action=SendRawEmail'));
    expect(sends).toHaveLength(1);
    expect(sends[0]).toContain('ConfigurationSetName=news-digest-test');

    const ledger = await aws.s3.send(
      new (await import('@aws-sdk/client-s3')).ListObjectsV2Command({
        Bucket: aws.bucket,
        Prefix: `sent/${DAY}/`,
      }),
    );
    const entries = await Promise.all(
      (ledger.Contents ?? []).map(async (o) => JSON.parse((await aws.getText(o.Key ?? '')) ?? '{}')),
    );
    expect(entries.map((e) => `${e.status}${e.reason ? `: ${e.reason}` : ''}`).sort()).toEqual([
      'rejected: suppressed: bounce',
      'rejected: suppressed: complaint',
      'sent',
    ]);

    // The next hour's run sends nothing new and records nothing twice.
    const again = await sendBriefing({ day: DAY, now: new Date('2026-11-22T09:00:00Z') }, deps);
    expect(again).toMatchObject({ sent: 0, skipped: 1, suppressed: 2 });
  });
});
