/**
 * The reader's endpoint behind a Lambda Function URL: sign-up (double opt-in), confirm and
 * preferences (functions/app/reader-flows.ts). Thin: it turns the Function URL event into a reader
 * request (refusing a body over 8 KB before reading it), and answers a sign-up no sooner than
 * SIGNUP_MIN_RESPONSE_MS, so that sending a confirmation or not cannot be told apart by timing.
 */
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { briefingConfigFromEnv } from '../adapters/briefing-config.ts';
import { env } from '../adapters/env.ts';
import { createLogger } from '../adapters/logger.ts';
import { S3SubscriberStore } from '../adapters/s3-subscriber-store.ts';
import { unsubscribeSecret } from '../adapters/secrets.ts';
import { SesMailer } from '../adapters/ses-mailer.ts';
import {
  handleReaderRequest,
  MAX_FORM_BYTES,
  type ReaderFlowDependencies,
  type ReaderRequest,
} from '../app/reader-flows.ts';

const logger = createLogger('news-digest-reader');

/** Longer than a confirmation send takes, so every sign-up answer arrives after the same wait. */
export const SIGNUP_MIN_RESPONSE_MS = 1500;

/** The reader request in a Function URL event; the body is null when it is over MAX_FORM_BYTES. */
export function readerRequestOf(event: LambdaFunctionURLEvent): ReaderRequest {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  const headers = Object.fromEntries(
    Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v ?? '']),
  );
  return {
    method: event.requestContext?.http?.method ?? 'GET',
    path: event.rawPath ?? event.requestContext?.http?.path ?? '/',
    query: new URLSearchParams(event.rawQueryString ?? ''),
    contentType: headers['content-type'] ?? '',
    body: bytes.length > MAX_FORM_BYTES ? null : bytes.toString('utf8'),
  };
}

export function createReaderHandler(
  deps: Omit<ReaderFlowDependencies, 'baseUrl'>,
  wait: (ms: number) => Promise<void> = (ms) => new Promise((done) => setTimeout(done, ms)),
  minimumSignupMs = SIGNUP_MIN_RESPONSE_MS,
) {
  return async (event: LambdaFunctionURLEvent): Promise<LambdaFunctionURLResult> => {
    const started = Date.now();
    const request = readerRequestOf(event);
    const baseUrl = `https://${event.requestContext?.domainName ?? 'localhost'}`;
    const page = (await handleReaderRequest({ ...deps, baseUrl }, request)) ?? {
      status: 404,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
      body: 'Not found.',
    };
    if (request.path.startsWith('/signup')) await wait(Math.max(0, minimumSignupMs - (Date.now() - started)));
    return { statusCode: page.status, headers: { ...page.headers }, body: page.body };
  };
}

let defaultHandler: ReturnType<typeof createReaderHandler> | undefined;

export const handler = (event: LambdaFunctionURLEvent): Promise<LambdaFunctionURLResult> => {
  defaultHandler ??= (() => {
    const secret = () => unsubscribeSecret(env.unsubscribeSecretArn());
    return createReaderHandler({
      subscribers: new S3SubscriberStore(env.bucketName()),
      mailer: new SesMailer(undefined, env.sesConfigurationSet()),
      keys: async () => [{ version: 1, secret: await secret() }],
      unsubscribeSecret: secret,
      config: briefingConfigFromEnv(),
      defaults: { timeZone: env.scheduleTimeZone(), hour: env.scheduleHour() },
      timeZones: Intl.supportedValuesOf('timeZone'),
      now: () => new Date(),
      log: (message) => logger.info(message),
    });
  })();
  return defaultHandler(event);
};
