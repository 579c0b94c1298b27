/**
 * The reader's flows behind one endpoint, for the reader Lambda's Function URL and `npm run serve`:
 *
 *   POST /signup                  double opt-in: the same page for every address; one confirmation
 *                                 email (signed link, 48 h) at most every 24 h; a filled honeypot stores nothing
 *   GET  /confirm?token=…         a button (link scanners prefetch GETs); POST confirms
 *   GET  /preferences?token=…     cadence, time zone, hour and unsubscribe; only POST changes anything
 *
 * Every refusal of a link (forged, altered, expired, used, superseded) is the same 403 page; malformed,
 * oversized, wrongly typed or incomplete forms get a clear 400/413 page and change nothing.
 */
import { InputRejectedError } from '../core/errors.ts';
import { MAX_FORM_BYTES, parseFormBody, readPreferencesForm, readSignupForm } from '../core/reader-form.ts';
import type { BriefingConfig } from '../core/render/config.ts';
import { confirmationEmail } from '../core/render/confirmation-email.ts';
import { buildMimeMessage } from '../core/render/mime.ts';
import {
  badRequestPage,
  confirmedPage,
  confirmPage,
  invalidLinkPage,
  methodNotAllowedPage,
  preferencesPage,
  type ReaderBrand,
  type ReaderPage,
  signupReceivedPage,
  tooLargePage,
  unsubscribedPage,
} from '../core/render/reader-pages.ts';
import { signUnsubscribeToken, unsubscribeUrl } from '../core/render/unsubscribe-token.ts';
import {
  epochSeconds,
  type SigningKey,
  signToken,
  type TokenPurpose,
  verifyToken,
} from '../core/signed-token.ts';
import { currentSigningKey } from '../core/signing-keys.ts';
import {
  cadenceOf,
  confirmSubscriber,
  hourOf,
  isComplaintSuppressed,
  parsePreferences,
  type ReaderDefaults,
  type Subscriber,
  statusOf,
  timeZoneOf,
  withPreferences,
} from '../core/subscriber.ts';
import type { Mailer, SubscriberStore } from '../ports.ts';

export { MAX_FORM_BYTES };
export const CONFIRMATION_VALID_HOURS = 48;
/** At most one confirmation email per address in this many hours. */
export const CONFIRMATION_INTERVAL_HOURS = 24;
/** Preference links come in every email; a new one replaces it daily, so a quarter is plenty. */
export const PREFERENCES_VALID_DAYS = 90;

export interface ReaderRequest {
  readonly method: string;
  /** The path below the endpoint: `/signup`, `/confirm`, `/preferences`. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly contentType: string;
  /** The body as text; null when it was larger than MAX_FORM_BYTES. */
  readonly body: string | null;
}

export interface ReaderFlowDependencies {
  readonly subscribers: SubscriberStore;
  readonly mailer: Mailer;
  /** Signing keys, the current one first (older ones still verify during a rotation). */
  readonly keys: () => Promise<readonly SigningKey[]>;
  /** The unsubscribe key (the one-click links' HMAC), for the confirmation email's List-Unsubscribe. */
  readonly unsubscribeSecret: () => Promise<string>;
  readonly config: BriefingConfig;
  /** Absolute URL of this endpoint, without a trailing slash (links in emails point below it). */
  readonly baseUrl: string;
  readonly defaults: ReaderDefaults;
  /** IANA zones the preference form offers. */
  readonly timeZones: readonly string[];
  readonly now: () => Date;
  readonly log?: (message: string, fields?: Record<string, unknown>) => void;
}

/** The fields of the request's form body; core/reader-form.ts BadFormError for anything the reader's pages could not send. */
function parseForm(request: ReaderRequest): URLSearchParams {
  return parseFormBody(request.contentType, request.body ?? '');
}

function brandOf(config: BriefingConfig): ReaderBrand {
  return { name: config.brandName.trim() || 'News Digest', accentColor: config.accentColor };
}

export async function readerLink(
  deps: ReaderFlowDependencies,
  purpose: TokenPurpose,
  subject: string,
  issued: Date,
): Promise<string> {
  const [key] = await deps.keys();
  if (!key) throw new Error('No signing key configured.');
  const lifetime = purpose === 'confirm' ? CONFIRMATION_VALID_HOURS * 3600 : PREFERENCES_VALID_DAYS * 86_400;
  const token = signToken(
    { purpose, subject, issuedAt: epochSeconds(issued), expiresAt: epochSeconds(issued) + lifetime },
    key,
  );
  return `${deps.baseUrl}/${purpose === 'confirm' ? 'confirm' : 'preferences'}?token=${encodeURIComponent(token)}`;
}

/** Whether a sign-up should send a confirmation to this record now. */
function confirmationDue(record: Subscriber | null, now: Date): boolean {
  if (record === null) return true;
  if (isComplaintSuppressed(record) || statusOf(record) === 'active') return false;
  const last = record.confirmationSentAt ? Date.parse(record.confirmationSentAt) : Number.NaN;
  return !(now.getTime() - last < CONFIRMATION_INTERVAL_HOURS * 3_600_000);
}

async function signup(deps: ReaderFlowDependencies, request: ReaderRequest): Promise<ReaderPage> {
  const brand = brandOf(deps.config);
  const { email, honeypotFilled } = readSignupForm(parseForm(request));
  const received = signupReceivedPage(brand, CONFIRMATION_VALID_HOURS);
  // The honeypot: a bot that fills it gets the same page and nothing happens.
  if (honeypotFilled) {
    deps.log?.('Sign-up honeypot filled; nothing stored');
    return received;
  }
  const now = deps.now();
  const existing = await deps.subscribers.get(email);
  if (!confirmationDue(existing, now)) return received;
  if (existing === null) await deps.subscribers.add(email, { status: 'pending' });
  const stamped = await deps.subscribers.update(email, (s) => ({
    ...s,
    confirmationSentAt: now.toISOString(),
  }));
  if (stamped === null) return received;
  const link = await readerLink(deps, 'confirm', email, now);
  const message = confirmationEmail(deps.config, link, CONFIRMATION_VALID_HOURS);
  const unsubscribe = unsubscribeUrl(
    deps.config.unsubscribeBaseUrl,
    signUnsubscribeToken(email, currentSigningKey(await deps.unsubscribeSecret()), now),
  );
  const raw822 = buildMimeMessage({
    from: deps.config.senderAddress,
    fromName: deps.config.senderName,
    to: email,
    subject: message.subject,
    html: message.html,
    text: message.text,
    listUnsubscribeUrl: unsubscribe,
    listUnsubscribeMailto: deps.config.unsubscribeMailto,
    date: now,
    idSeed: `confirm/${email}/${now.toISOString()}`,
  });
  await deps.mailer.send({
    from: deps.config.senderAddress,
    to: email,
    raw: new TextEncoder().encode(raw822),
  });
  deps.log?.('Sent a sign-up confirmation');
  return received;
}

/** The record a confirm link acts on, or null when the link is not valid now (one refusal for all). */
async function confirmTarget(deps: ReaderFlowDependencies, token: string): Promise<Subscriber | null> {
  const claims = verifyToken(token, 'confirm', await deps.keys(), deps.now());
  if (!claims) return null;
  const record = await deps.subscribers.get(claims.subject);
  const sent = record?.confirmationSentAt ? epochSeconds(new Date(record.confirmationSentAt)) : null;
  return record && sent === claims.issuedAt ? record : null;
}

async function confirm(deps: ReaderFlowDependencies, request: ReaderRequest): Promise<ReaderPage> {
  const brand = brandOf(deps.config);
  const token = request.query.get('token') ?? '';
  const record = await confirmTarget(deps, token);
  if (!record) return invalidLinkPage(brand);
  if (request.method === 'GET') return confirmPage(brand, `confirm?token=${encodeURIComponent(token)}`);
  await deps.subscribers.update(record.email, (current) => confirmSubscriber(current));
  deps.log?.('A sign-up was confirmed');
  return confirmedPage(brand, await readerLink(deps, 'preferences', record.email, deps.now()));
}

async function preferences(deps: ReaderFlowDependencies, request: ReaderRequest): Promise<ReaderPage> {
  const brand = brandOf(deps.config);
  const token = request.query.get('token') ?? '';
  const claims = verifyToken(token, 'preferences', await deps.keys(), deps.now());
  if (!claims) return invalidLinkPage(brand);
  const action = `preferences?token=${encodeURIComponent(token)}`;
  const show = (record: Subscriber | null, notice: string | null) =>
    preferencesPage(
      brand,
      action,
      {
        cadence: record ? cadenceOf(record) : 'daily',
        timeZone: record ? timeZoneOf(record, deps.defaults) : deps.defaults.timeZone,
        hour: record ? hourOf(record, deps.defaults) : deps.defaults.hour,
      },
      deps.timeZones,
      notice,
    );
  if (request.method === 'GET') return show(await deps.subscribers.get(claims.subject), null);
  const form = readPreferencesForm(parseForm(request));
  if (form.action === 'unsubscribe') {
    await deps.subscribers.remove(claims.subject);
    deps.log?.('Unsubscribed from the preference page');
    return unsubscribedPage(brand);
  }
  const chosen = parsePreferences(form);
  // Same page whether or not the address is still on the list: the link already names it.
  const saved = await deps.subscribers.update(claims.subject, (current) => withPreferences(current, chosen));
  deps.log?.('Preferences saved');
  return show(saved ?? { email: claims.subject, subscribedAt: '', ...chosen }, 'Your preferences are saved.');
}

const ROUTES: Record<
  string,
  { allow: string; run: (deps: ReaderFlowDependencies, r: ReaderRequest) => Promise<ReaderPage> }
> = {
  '/signup': { allow: 'POST', run: signup },
  '/confirm': { allow: 'GET, POST', run: confirm },
  '/preferences': { allow: 'GET, POST', run: preferences },
};

/** The page for `request`; null when the path is not one of the reader's (the caller serves it otherwise). */
export async function handleReaderRequest(
  deps: ReaderFlowDependencies,
  request: ReaderRequest,
): Promise<ReaderPage | null> {
  const route = ROUTES[request.path.replace(/\/+$/, '') || '/'];
  if (!route) return null;
  const brand = brandOf(deps.config);
  if (!route.allow.split(', ').includes(request.method)) return methodNotAllowedPage(brand, route.allow);
  if (request.method === 'POST' && request.body === null) return tooLargePage(brand, MAX_FORM_BYTES);
  try {
    return await route.run(deps, request);
  } catch (error) {
    // BadFormError is an InputRejectedError: a malformed form and a refused choice get the same page.
    if (error instanceof InputRejectedError) return badRequestPage(brand, error.message);
    throw error;
  }
}
