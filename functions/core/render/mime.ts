/**
 * Builds the complete RFC 5322 message for one subscriber: multipart/alternative (plain text
 * first, HTML last, as RFC 2046 §5.1.4 prefers), UTF-8 throughout, quoted-printable bodies, and the
 * one-click unsubscribe headers of RFC 2369 and RFC 8058. Deterministic: the same input gives the
 * same bytes, so tests and the local outbox are reproducible.
 */
import { createHash } from 'node:crypto';
import { isPlainEmailAddress, PLAIN_EMAIL_ADDRESS_RULE } from '../address.ts';
import { InputRejectedError } from '../errors.ts';
import { encodeDisplayName, encodeQuotedPrintable, encodeUnstructured, foldHeader } from './mime-encoding.ts';
import { safeHttpUrl } from './safe.ts';

export interface MimeInput {
  readonly from: string;
  readonly fromName?: string;
  readonly to: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly listUnsubscribeUrl: string;
  /** `mailto:` URI or a bare address. */
  readonly listUnsubscribeMailto: string;
  /** Domain for the Message-ID; defaults to the From address's domain. */
  readonly messageIdDomain?: string;
  readonly date: Date;
  /** Seeds the Message-ID and the boundary; defaults to a hash of date, recipient and subject. */
  readonly idSeed?: string;
  /**
   * RFC 2919 List-Id: the list's name (a phrase) and its id (`label.domain`). Defaults to the From
   * name and `listIdOf(from)`, so every message carries one.
   */
  readonly listId?: { readonly name?: string; readonly id: string };
  /**
   * Gmail's Feedback-ID, `a:b:c:SenderId` (colon-separated, the sender id last), on which its feedback
   * loop groups complaints; absent: no header.
   */
  readonly feedbackId?: string;
}

/**
 * The RFC 2919 list id of a sender address: `briefing@news.example` → `briefing.news.example`. A list
 * is named by its sender, so it stays the same across deploys and readers' filters keep working.
 */
export function listIdOf(senderAddress: string): string {
  const [local = '', domain = ''] = senderAddress.trim().toLowerCase().split('@');
  const label = local.replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'briefing';
  return `${label}.${domain}`;
}

const FEEDBACK_ID = /^[A-Za-z0-9._-]+(?::[A-Za-z0-9._-]+){1,3}$/;

const DOMAIN = /^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$/;
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The InputRejectedError code for a To address that cannot go in a header: the fault is that one
 * subscriber's, so a send marks them rejected and goes on with the others. Any other code is about the
 * sender's configuration, which every message shares.
 */
export const BAD_RECIPIENT = 'bad-recipient';

/** The trimmed address. The error does not repeat it: errors are logged, and addresses never are. */
function checkAddress(field: string, value: string, code = 'bad-address'): string {
  const address = value.trim();
  if (!isPlainEmailAddress(address)) {
    throw new InputRejectedError(
      code,
      `The ${field} address is not a plain email address; ${PLAIN_EMAIL_ADDRESS_RULE}.`,
    );
  }
  return address;
}

/** RFC 5322 §3.3 date-time in UTC: "Mon, 28 Feb 2022 07:00:00 +0000". */
export function formatRfc5322Date(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${DAYS[date.getUTCDay()]}, ${pad(date.getUTCDate())} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
}

function mailtoUri(value: string): string {
  const trimmed = value.trim();
  const uri = /^mailto:/i.test(trimmed) ? `mailto:${trimmed.slice(7)}` : `mailto:${trimmed}`;
  const address = uri.slice(7).split('?')[0] ?? '';
  checkAddress('List-Unsubscribe mailto', decodeURIComponent(address));
  if (/[\s<>"]/.test(uri)) {
    throw new InputRejectedError(
      'bad-unsubscribe',
      'The unsubscribe mailto: URI must not contain spaces, <, > or ".',
    );
  }
  return uri;
}

/** Builds the message. Throws InputRejectedError on an address or URL that cannot go in a header. */
export function buildMimeMessage(input: MimeInput): string {
  const from = checkAddress('From', input.from);
  const to = checkAddress('To', input.to, BAD_RECIPIENT);
  const httpsUrl = safeHttpUrl(input.listUnsubscribeUrl);
  if (!httpsUrl?.startsWith('https:')) {
    throw new InputRejectedError(
      'bad-unsubscribe',
      'List-Unsubscribe needs an https URL (RFC 8058 one-click).',
    );
  }
  const mailto = mailtoUri(input.listUnsubscribeMailto);
  const domain = (input.messageIdDomain ?? from.split('@')[1] ?? '').toLowerCase();
  if (!DOMAIN.test(domain)) {
    throw new InputRejectedError('bad-domain', `Message-ID domain "${domain}" is not a domain name.`);
  }

  const seed = input.idSeed ?? `${input.date.toISOString()}\n${to.toLowerCase()}\n${input.subject}`;
  const digest = createHash('sha256').update(seed).digest('hex');
  // "=_" cannot occur in quoted-printable output, so the boundary can never collide with a body.
  const boundary = `=_nd_${digest.slice(32, 64)}`;
  const messageId = `<${digest.slice(0, 32)}@${domain}>`;

  const listId = input.listId?.id ?? listIdOf(from);
  if (!DOMAIN.test(listId)) {
    throw new InputRejectedError('bad-list-id', `List-Id "${listId}" is not of the form label.domain.`);
  }
  if (input.feedbackId !== undefined && !FEEDBACK_ID.test(input.feedbackId)) {
    throw new InputRejectedError(
      'bad-feedback-id',
      `Feedback-ID "${input.feedbackId}" must be 2 to 4 colon-separated fields of letters, digits, dots, hyphens and underscores.`,
    );
  }
  const listName = input.listId?.name ?? input.fromName;

  const fromHeader = input.fromName
    ? foldHeader('From', [...encodeDisplayName(input.fromName), `<${from}>`])
    : `From: ${from}`;
  const headers = [
    fromHeader,
    `To: ${to}`,
    encodeUnstructured('Subject', input.subject),
    `Date: ${formatRfc5322Date(input.date)}`,
    `Message-ID: ${messageId}`,
    'MIME-Version: 1.0',
    listName
      ? foldHeader('List-Id', [...encodeDisplayName(listName), `<${listId}>`])
      : `List-Id: <${listId}>`,
    ...(input.feedbackId === undefined ? [] : [`Feedback-ID: ${input.feedbackId}`]),
    foldHeader('List-Unsubscribe', [`<${httpsUrl}>,`, `<${mailto}>`]),
    'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    `Content-Type: multipart/alternative;\r\n boundary="${boundary}"`,
  ];
  const part = (type: string, body: string) =>
    [
      `--${boundary}`,
      `Content-Type: ${type}; charset=utf-8`,
      'Content-Transfer-Encoding: quoted-printable',
      '',
      encodeQuotedPrintable(body),
    ].join('\r\n');

  return [
    ...headers,
    '',
    'This is a multi-part message in MIME format.',
    part('text/plain', input.text),
    part('text/html', input.html),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}
