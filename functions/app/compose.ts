/**
 * Composing a day's message for one subscriber: the briefing (rendered once per digest by the
 * BriefingRenderer port) gets the subscriber's unsubscribe link and is wrapped in a MIME message.
 * Shared by the CLI and the send Lambdas.
 */
import type { BriefingConfig } from '../core/render/config.ts';
import { buildMimeMessage, listIdOf } from '../core/render/mime.ts';
import { personalise } from '../core/render/personalise.ts';
import type { RenderedBriefing } from '../core/render/types.ts';
import { signUnsubscribeToken, unsubscribeUrl } from '../core/render/unsubscribe-token.ts';
import { epochSeconds, signToken } from '../core/signed-token.ts';
import { currentSigningKey } from '../core/signing-keys.ts';
import type { Cadence } from '../core/subscriber.ts';
import type { Digest } from '../core/types.ts';

export interface ComposedMessage {
  readonly html: string;
  readonly text: string;
  /** The complete RFC 5322 message. */
  readonly raw: string;
}

/**
 * The date a briefing's Date header carries. It is derived from the digest, not the clock, so that
 * re-running the pipeline on the same input produces byte-identical messages.
 */
function briefingDate(digest: Digest): Date {
  return new Date(`${digest.date}T07:00:00Z`);
}

/**
 * Gmail's Feedback-ID for a briefing: the edition, the cadence, the list label, then the sender domain
 * as the sender id. No field is per reader, so complaints group by edition and cadence.
 */
export function briefingFeedbackId(senderAddress: string, edition: string, cadence: Cadence): string {
  const listId = listIdOf(senderAddress);
  const [label = 'briefing'] = listId.split('.');
  const domain = senderAddress.split('@')[1]?.toLowerCase() ?? 'invalid';
  return `${edition.replace(/[^A-Za-z0-9._-]/g, '-')}:${cadence}:${label}:${domain}`;
}

/** How long the preference link in an email works: a new email brings a new one every day or week. */
export const EMAIL_PREFERENCES_VALID_DAYS = 90;

/**
 * The subscriber's signed preference-page link. Issued at the briefing's date, not the clock, so that
 * re-running on the same input gives byte-identical messages.
 */
export function preferencesLink(baseUrl: string, recipient: string, secret: string, digest: Digest): string {
  const issuedAt = epochSeconds(briefingDate(digest));
  const token = signToken(
    {
      purpose: 'preferences',
      subject: recipient.trim().toLowerCase(),
      issuedAt,
      expiresAt: issuedAt + EMAIL_PREFERENCES_VALID_DAYS * 86_400,
    },
    currentSigningKey(secret),
  );
  const url = new URL(baseUrl);
  url.searchParams.set('token', token);
  return url.href;
}

export function composeMessage(
  rendered: RenderedBriefing,
  digest: Digest,
  config: BriefingConfig,
  recipient: string,
  unsubscribeSecret: string,
  cadence: Cadence = 'daily',
): ComposedMessage {
  const token = signUnsubscribeToken(recipient, currentSigningKey(unsubscribeSecret), briefingDate(digest));
  const url = unsubscribeUrl(config.unsubscribeBaseUrl, token);
  const { html, text } = personalise(rendered, {
    email: recipient,
    unsubscribeUrl: url,
    ...(config.preferencesBaseUrl
      ? { preferencesUrl: preferencesLink(config.preferencesBaseUrl, recipient, unsubscribeSecret, digest) }
      : {}),
  });
  const raw = buildMimeMessage({
    from: config.senderAddress,
    fromName: config.senderName,
    to: recipient,
    subject: rendered.subject,
    html,
    text,
    listUnsubscribeUrl: url,
    listUnsubscribeMailto: config.unsubscribeMailto,
    date: briefingDate(digest),
    // A weekly edition sent on a Monday must not share its Message-ID with that Monday's daily digest.
    idSeed: cadence === 'daily' ? `${digest.date}/${recipient}` : `${digest.date}/${cadence}/${recipient}`,
    listId: { name: config.brandName, id: listIdOf(config.senderAddress) },
    feedbackId: briefingFeedbackId(config.senderAddress, digest.date, cadence),
  });
  return { html, text, raw };
}
