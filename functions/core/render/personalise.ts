/**
 * Fills one subscriber into a briefing that was rendered once for everybody. String replacement
 * only: no template engine and no MJML run per recipient.
 */
import { PLACEHOLDERS } from './placeholders.ts';
import { escapeHtml, safeHttpUrl } from './safe.ts';
import type { RenderedBriefing } from './types.ts';

export interface SubscriberSlots {
  readonly email: string;
  readonly unsubscribeUrl: string;
  /** The signed preference-page URL; required when the briefing was rendered with its slot. */
  readonly preferencesUrl?: string;
}

/** Returns the subscriber's HTML and plain text. Throws when the unsubscribe URL is not http(s). */
export function personalise(
  rendered: RenderedBriefing,
  subscriber: SubscriberSlots,
): { html: string; text: string } {
  const url = safeHttpUrl(subscriber.unsubscribeUrl);
  if (!url)
    throw new TypeError(`Unsubscribe URL must be an absolute https URL, got ${subscriber.unsubscribeUrl}`);
  const email = subscriber.email.replace(/[\r\n\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  const preferences = safeHttpUrl(subscriber.preferencesUrl ?? null) ?? url;
  const fill = (body: string, encode: (value: string) => string) =>
    body
      .split(PLACEHOLDERS.unsubscribeUrl)
      .join(encode(url))
      .split(PLACEHOLDERS.preferencesUrl)
      .join(encode(preferences))
      .split(PLACEHOLDERS.email)
      .join(encode(email));
  return { html: fill(rendered.html, escapeHtml), text: fill(rendered.text, (v) => v) };
}
