/**
 * Per-subscriber slots. The briefing is rendered once per digest with these markers in place and
 * filled for each subscriber by `personalise`, so MJML never runs per recipient.
 *
 * The markers start with `%%`, which `cleanText`/`safeHttpUrl` break up in every article value,
 * so article text cannot smuggle a slot in.
 */
export const PLACEHOLDER_MARK = '%%';

export const PLACEHOLDERS = {
  /** The subscriber's signed one-click unsubscribe URL. */
  unsubscribeUrl: '%%ND_UNSUBSCRIBE_URL%%',
  /** The subscriber's signed preference-page URL (cadence, time zone, hour, unsubscribe). */
  preferencesUrl: '%%ND_PREFERENCES_URL%%',
  /** The subscriber's address ("This briefing was sent to …"). */
  email: '%%ND_SUBSCRIBER_EMAIL%%',
} as const;
