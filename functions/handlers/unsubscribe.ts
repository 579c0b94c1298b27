/**
 * One-click unsubscribe behind a Lambda Function URL.
 *
 *  GET  ?token=…  a confirmation page with a button (link scanners prefetch GETs, so GET never unsubscribes)
 *  POST ?token=…  RFC 8058 one-click (body `List-Unsubscribe=One-Click`) or the page's button: unsubscribes
 *
 * The token is an HMAC of the address, so a forged or altered token is refused with 403. Valid tokens get
 * the same answer whether or not the address is still subscribed, so the endpoint reveals nothing about
 * who is on the list, and replaying a token is harmless (removal is idempotent).
 */
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { env } from '../adapters/env.ts';
import { createLogger } from '../adapters/logger.ts';
import { S3SubscriberStore } from '../adapters/s3-subscriber-store.ts';
import { unsubscribeSecret } from '../adapters/secrets.ts';
import {
  invalidLinkPage,
  methodNotAllowedPage,
  type ReaderBrand,
  type ReaderPage,
  unsubscribeConfirmPage,
  unsubscribedPage,
} from '../core/render/reader-pages.ts';
import { verifyUnsubscribeToken } from '../core/render/unsubscribe-token.ts';
import { signingKeysFrom } from '../core/signing-keys.ts';
import type { SubscriberStore } from '../ports.ts';

const logger = createLogger('news-digest-unsubscribe');

function result(page: ReaderPage): LambdaFunctionURLResult {
  return { statusCode: page.status, headers: { ...page.headers }, body: page.body };
}

export interface UnsubscribeDependencies {
  readonly subscribers: SubscriberStore;
  /** The stack secret's value: one key, or the current and previous ones (core/signing-keys.ts). */
  readonly secret: () => Promise<string>;
  /** The clock links' expiry is judged by; the system clock unless a test sets it. */
  readonly now?: () => Date;
  /** The masthead and colour of the pages (the briefing's). */
  readonly brand?: ReaderBrand;
}

const DEFAULT_BRAND: ReaderBrand = { name: 'News Digest', accentColor: '#a11d21' };

export function createUnsubscribeHandler(deps: UnsubscribeDependencies) {
  const brand = deps.brand ?? DEFAULT_BRAND;
  return async (event: LambdaFunctionURLEvent): Promise<LambdaFunctionURLResult> => {
    const method = event.requestContext?.http?.method ?? 'GET';
    const token = event.queryStringParameters?.token ?? '';
    const email = token
      ? verifyUnsubscribeToken(token, signingKeysFrom(await deps.secret()), deps.now?.() ?? new Date())
      : null;
    if (email === null) {
      logger.warn('Refused an invalid unsubscribe token', { method });
      return result(invalidLinkPage(brand));
    }
    if (method === 'GET') {
      return result(unsubscribeConfirmPage(brand, `?token=${encodeURIComponent(token)}`));
    }
    if (method !== 'POST') return result(methodNotAllowedPage(brand, 'GET, POST'));
    await deps.subscribers.remove(email);
    logger.info('Unsubscribed an address');
    return result(unsubscribedPage(brand));
  };
}

let defaultHandler: ReturnType<typeof createUnsubscribeHandler> | undefined;

export const handler = (event: LambdaFunctionURLEvent): Promise<LambdaFunctionURLResult> => {
  defaultHandler ??= createUnsubscribeHandler({
    subscribers: new S3SubscriberStore(env.bucketName()),
    secret: () => unsubscribeSecret(env.unsubscribeSecretArn()),
    brand: { name: env.brandName(), accentColor: env.accentColor() ?? DEFAULT_BRAND.accentColor },
  });
  return defaultHandler(event);
};
