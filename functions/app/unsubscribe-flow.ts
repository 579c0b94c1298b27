/**
 * One-click unsubscribe (RFC 8058).
 *
 *  GET  ?token=…  a confirmation page with a button (link scanners prefetch GETs, so GET never unsubscribes)
 *  POST ?token=…  one-click (body `List-Unsubscribe=One-Click`) or the page's button: unsubscribes
 *
 * The token is signed (core/render/unsubscribe-token.ts), so a forged or altered one is refused with 403.
 * Valid tokens get the same answer whether or not the address is still subscribed, so the endpoint reveals
 * nothing about who is on the list, and replaying a token is harmless (removal is idempotent).
 */
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

export interface UnsubscribeDependencies {
  readonly subscribers: SubscriberStore;
  /** The stack secret's value: one key, or the current and previous ones (core/signing-keys.ts). */
  readonly secret: () => Promise<string>;
  /** The clock links' expiry is judged by; the system clock unless a test sets it. */
  readonly now?: () => Date;
  /** The masthead and colour of the pages (the briefing's). */
  readonly brand?: ReaderBrand;
  readonly log?: (level: 'info' | 'warn', message: string, details?: Record<string, unknown>) => void;
}

export const DEFAULT_READER_BRAND: ReaderBrand = { name: 'News Digest', accentColor: '#a11d21' };

export async function unsubscribeRequest(
  deps: UnsubscribeDependencies,
  request: { readonly method: string; readonly token: string },
): Promise<ReaderPage> {
  const brand = deps.brand ?? DEFAULT_READER_BRAND;
  const { method, token } = request;
  const email = token
    ? verifyUnsubscribeToken(token, signingKeysFrom(await deps.secret()), deps.now?.() ?? new Date())
    : null;
  if (email === null) {
    deps.log?.('warn', 'Refused an invalid unsubscribe token', { method });
    return invalidLinkPage(brand);
  }
  if (method === 'GET') return unsubscribeConfirmPage(brand, `?token=${encodeURIComponent(token)}`);
  if (method !== 'POST') return methodNotAllowedPage(brand, 'GET, POST');
  await deps.subscribers.remove(email);
  deps.log?.('info', 'Unsubscribed an address');
  return unsubscribedPage(brand);
}
