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
import { escapeHtml } from '../core/render/safe.ts';
import { verifyUnsubscribeToken } from '../core/render/unsubscribe-token.ts';
import type { SubscriberStore } from '../ports.ts';

const logger = createLogger('news-digest-unsubscribe');

const SECURITY_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
};

function page(status: number, title: string, body: string): LambdaFunctionURLResult {
  return {
    statusCode: status,
    headers: SECURITY_HEADERS,
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title></head><body style="font-family:Georgia,serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a"><h1 style="font-size:1.5rem">${escapeHtml(title)}</h1>${body}</body></html>`,
  };
}

const INVALID_LINK = () =>
  page(
    403,
    'This unsubscribe link is not valid',
    '<p>Please use the link from the most recent briefing email.</p>',
  );

export interface UnsubscribeDependencies {
  readonly subscribers: SubscriberStore;
  readonly secret: () => Promise<string>;
}

export function createUnsubscribeHandler(deps: UnsubscribeDependencies) {
  return async (event: LambdaFunctionURLEvent): Promise<LambdaFunctionURLResult> => {
    const method = event.requestContext?.http?.method ?? 'GET';
    const token = event.queryStringParameters?.token ?? '';
    const email = token ? verifyUnsubscribeToken(token, await deps.secret()) : null;
    if (email === null) {
      logger.warn('Refused an invalid unsubscribe token', { method });
      return INVALID_LINK();
    }
    if (method === 'GET') {
      const action = `?token=${encodeURIComponent(token)}`;
      return page(
        200,
        'Unsubscribe from the briefing?',
        `<p>Press the button to stop receiving the daily briefing.</p><form method="post" action="${escapeHtml(action)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit" style="font-size:1rem;padding:.6rem 1.2rem">Unsubscribe</button></form>`,
      );
    }
    if (method !== 'POST')
      return { statusCode: 405, headers: { ...SECURITY_HEADERS, allow: 'GET, POST' }, body: '' };
    await deps.subscribers.remove(email);
    logger.info('Unsubscribed an address');
    return page(200, 'You are unsubscribed', '<p>You will not receive the briefing any more.</p>');
  };
}

let defaultHandler: ReturnType<typeof createUnsubscribeHandler> | undefined;

export const handler = (event: LambdaFunctionURLEvent): Promise<LambdaFunctionURLResult> => {
  defaultHandler ??= createUnsubscribeHandler({
    subscribers: new S3SubscriberStore(env.bucketName()),
    secret: () => unsubscribeSecret(env.unsubscribeSecretArn()),
  });
  return defaultHandler(event);
};
