/**
 * The reader's endpoint behind a Lambda Function URL: sign-up (double opt-in), confirm and
 * preferences (functions/app/reader-flows.ts). Wiring: the Function URL adapter reads the request
 * (a body over 8 KB is never read), and a sign-up is answered no sooner than SIGNUP_MIN_RESPONSE_MS,
 * so that sending a confirmation or not cannot be told apart by timing.
 */
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { briefingConfigFromEnv } from '../adapters/briefing-config.ts';
import { env } from '../adapters/env.ts';
import { functionUrlResult, NOT_FOUND_PAGE, readerRequestOf } from '../adapters/function-url.ts';
import { createLogger } from '../adapters/logger.ts';
import { S3SubscriberStore } from '../adapters/s3-subscriber-store.ts';
import { unsubscribeSecret } from '../adapters/secrets.ts';
import { SesMailer } from '../adapters/ses-mailer.ts';
import { handleReaderRequest, type ReaderFlowDependencies } from '../app/reader-flows.ts';
import { signingKeysFrom } from '../core/signing-keys.ts';

const logger = createLogger('news-digest-reader');

/** Longer than a confirmation send takes, so every sign-up answer arrives after the same wait. */
export const SIGNUP_MIN_RESPONSE_MS = 1500;

export function createReaderHandler(
  deps: Omit<ReaderFlowDependencies, 'baseUrl'>,
  wait: (ms: number) => Promise<void> = (ms) => new Promise((done) => setTimeout(done, ms)),
  minimumSignupMs = SIGNUP_MIN_RESPONSE_MS,
) {
  return async (event: LambdaFunctionURLEvent): Promise<LambdaFunctionURLResult> => {
    const started = Date.now();
    const request = readerRequestOf(event);
    const baseUrl = `https://${event.requestContext?.domainName ?? 'localhost'}`;
    const page = (await handleReaderRequest({ ...deps, baseUrl }, request)) ?? NOT_FOUND_PAGE;
    if (request.path.startsWith('/signup')) await wait(Math.max(0, minimumSignupMs - (Date.now() - started)));
    return functionUrlResult(page);
  };
}

let defaultHandler: ReturnType<typeof createReaderHandler> | undefined;

export const handler = (event: LambdaFunctionURLEvent): Promise<LambdaFunctionURLResult> => {
  defaultHandler ??= (() => {
    const secret = () => unsubscribeSecret(env.unsubscribeSecretArn());
    return createReaderHandler({
      subscribers: new S3SubscriberStore(env.bucketName(), undefined, secret),
      mailer: new SesMailer(undefined, env.sesConfigurationSet()),
      keys: async () => signingKeysFrom(await secret()),
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
