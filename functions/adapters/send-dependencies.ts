/**
 * The deployed send functions' dependencies (S3 stores, SES, templates, HMAC key, pacing), built once
 * per container from the environment. Shared by the send Lambda and the send-worker.
 */

import type { SendDependencies } from '../app/send-briefing.ts';
import { currentSigningKey } from '../core/signing-keys.ts';
import type { ReaderDefaults } from '../core/subscriber.ts';
import { briefingConfigFromEnv } from './briefing-config.ts';
import { env } from './env.ts';
import { mjmlRenderer } from './mjml-renderer.ts';
import { S3DigestStore } from './s3-digest-store.ts';
import { S3SendLedger } from './s3-send-ledger.ts';
import { S3SendingPause } from './s3-sending-pause.ts';
import { S3SubscriberStore } from './s3-subscriber-store.ts';
import { unsubscribeSecret } from './secrets.ts';
import { SesMailer } from './ses-mailer.ts';
import { loadTemplates } from './templates.ts';

/**
 * @param parallelSenders how many functions send at once; each paces itself at its share of the
 *   account's SES rate, so together they stay inside it.
 */
export async function sendDependenciesFromEnv(
  parallelSenders = 1,
): Promise<SendDependencies & { readonly readerDefaults: ReaderDefaults }> {
  const bucket = env.bucketName();
  const mailer = new SesMailer(undefined, env.sesConfigurationSet());
  const secret = await unsubscribeSecret(env.unsubscribeSecretArn());
  return {
    store: new S3DigestStore(bucket),
    subscribers: new S3SubscriberStore(bucket, undefined, async () => secret),
    ledger: new S3SendLedger(bucket, currentSigningKey(secret).secret),
    mailer,
    config: briefingConfigFromEnv(),
    render: mjmlRenderer(await loadTemplates(env.templatesDir() ?? undefined)),
    unsubscribeSecret: secret,
    timeZone: env.scheduleTimeZone(),
    readerDefaults: { timeZone: env.scheduleTimeZone(), hour: env.scheduleHour() },
    pause: new S3SendingPause(bucket),
    maxSendRate: (await mailer.maxSendRate().catch(() => 1)) / parallelSenders,
    ...(env.sendMaxBriefingAgeMs() === null
      ? {}
      : { maxBriefingAgeMs: env.sendMaxBriefingAgeMs() as number }),
  };
}
