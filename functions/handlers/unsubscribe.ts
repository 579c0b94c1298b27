/**
 * One-click unsubscribe behind a Lambda Function URL (app/unsubscribe-flow.ts). Wiring: the token
 * comes from the query string, and the page goes back as the Function URL's result.
 */
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { env } from '../adapters/env.ts';
import { functionUrlResult } from '../adapters/function-url.ts';
import { createLogger } from '../adapters/logger.ts';
import { S3SubscriberStore } from '../adapters/s3-subscriber-store.ts';
import { unsubscribeSecret } from '../adapters/secrets.ts';
import {
  DEFAULT_READER_BRAND,
  type UnsubscribeDependencies,
  unsubscribeRequest,
} from '../app/unsubscribe-flow.ts';

export type { UnsubscribeDependencies } from '../app/unsubscribe-flow.ts';

const logger = createLogger('news-digest-unsubscribe');

export function createUnsubscribeHandler(deps: UnsubscribeDependencies) {
  const log: UnsubscribeDependencies['log'] =
    deps.log ?? ((level, message, details) => logger[level](message, details ?? {}));
  return async (event: LambdaFunctionURLEvent): Promise<LambdaFunctionURLResult> => {
    const method = event.requestContext?.http?.method ?? 'GET';
    const token = event.queryStringParameters?.token ?? '';
    return functionUrlResult(await unsubscribeRequest({ ...deps, log }, { method, token }));
  };
}

let defaultHandler: ReturnType<typeof createUnsubscribeHandler> | undefined;

export const handler = (event: LambdaFunctionURLEvent): Promise<LambdaFunctionURLResult> => {
  const secret = () => unsubscribeSecret(env.unsubscribeSecretArn());
  defaultHandler ??= createUnsubscribeHandler({
    subscribers: new S3SubscriberStore(env.bucketName(), undefined, secret),
    secret,
    brand: { name: env.brandName(), accentColor: env.accentColor() ?? DEFAULT_READER_BRAND.accentColor },
  });
  return defaultHandler(event);
};
