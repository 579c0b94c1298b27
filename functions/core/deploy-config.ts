/**
 * The deployment's configuration: read from the `newsDigest` context block (cdk.json or `-c newsDigest.<key>=…`)
 * and validated ONCE, before any construct is created (infra/app.ts) or a local run styles its briefing
 * (adapters/local-briefing-config.ts). Every error names the bad key and the fix.
 */
import { DEFAULTS } from '../contracts.ts';
import { isPlainEmailAddress, PLAIN_EMAIL_ADDRESS_RULE } from './address.ts';
import { ConfigError } from './errors.ts';
import { type MailDomainConfig, parseMailDomainConfig } from './mail-domain-config.ts';

export type RemovalPolicyName = 'retain' | 'destroy';

/**
 * The keys that style the briefing. The local CLI (`npm run digest`, `npm run preview`) reads these from
 * cdk.json too, so that a preview shows the operator's brand.
 */
export interface BrandConfig {
  /** Name shown in the briefing's masthead and footer. */
  readonly brandName: string;
  /** Display name in the From header. Defaults to `brandName`. */
  readonly senderName: string;
  /** Masthead rule and link colour, `#rrggbb`; unset keeps the template's default. Keep it dark on white. */
  readonly accentColor?: string;
  /** https URL of a logo shown instead of the text masthead; unset keeps the text masthead. */
  readonly logoUrl?: string;
  /** https URL under which past briefings are published as `<base>/<YYYY-MM-DD>.html`; unset: no link. */
  readonly archiveBaseUrl?: string;
}

export interface DigestConfig extends BrandConfig, MailDomainConfig {
  /** The From address of the briefing; an SES email identity is created for it. */
  readonly senderAddress: string;
  /** Local hour (0–23) at which the briefing is sent. */
  readonly scheduleHour: number;
  /** IANA time zone in which `scheduleHour` is read (the schedule follows its daylight-saving changes). */
  readonly scheduleTimeZone: string;
  /** Addresses written to `subscribers/initial.json` at deploy time (none: nothing is written). */
  readonly initialSubscribers: readonly string[];
  /** What happens to the bucket, logs and secret when the stack is deleted. */
  readonly removalPolicy: RemovalPolicyName;
  /** Postal address printed in every email's footer (anti-spam laws such as CAN-SPAM require one). */
  readonly postalAddress: string;
  /**
   * The account's SES is still in the sandbox: it delivers only to verified addresses and authorises
   * SendRawEmail against each recipient's identity too. The initial subscribers then become SES identities
   * (SES emails each a verification link) and the send functions may send to exactly those.
   */
  readonly sesSandbox: boolean;
  /** Optional SNS topic ARN that receives the alarms' notifications. */
  readonly alarmTopicArn?: string;
  /**
   * Where the List-Unsubscribe mailto goes. Mail clients offer it beside the one-click link, so a person
   * or a process must act on what arrives there. Defaults to `senderAddress`.
   */
  readonly unsubscribeMailbox: string;
  /**
   * A story leaves the ingest working set this many days after its last article, and its index items
   * expire (DynamoDB TTL). Its digests, records and follow-up links stay.
   */
  readonly activeDays: number;
}

/** The context key under which cdk.json keeps the configuration. */
export const CONFIG_CONTEXT_KEY = 'newsDigest';

/**
 * Deliberately simple address check: one `@`, no spaces, a dot in the domain. SES does the real
 * verification; this only catches typos (missing domain, pasted display names) before a deploy.
 */
const EMAIL_PATTERN = /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;.]{2,}$/;

/** Six hex digits: every email client understands it (three-digit and named colours are not universal). */
const HEX_COLOUR_PATTERN = /^#[0-9a-f]{6}$/i;

/** SNS topic ARN (any partition). */
const TOPIC_ARN_PATTERN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

/** Printed in every error so the operator knows where values come from. */
const HOW_TO_SET = `Set it in cdk.json under "context" → "${CONFIG_CONTEXT_KEY}", or on the command line with -c ${CONFIG_CONTEXT_KEY}.<key>=<value>.`;

function fail(key: string, problem: string, example: string): never {
  throw new ConfigError(
    `Invalid configuration ${CONFIG_CONTEXT_KEY}.${key}: ${problem}. Fix: -c ${CONFIG_CONTEXT_KEY}.${key}=${example}. ${HOW_TO_SET}`,
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `-c key=value` always arrives as a string; cdk.json values arrive typed. Accept both. */
function fromJsonString(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return value;
    }
  }
  return value;
}

function parseEmail(key: string, value: unknown, example: string): string {
  if (typeof value !== 'string' || value.trim() === '') fail(key, 'missing', example);
  const address = value.trim();
  if (!EMAIL_PATTERN.test(address)) fail(key, `"${address}" is not an email address`, example);
  return address;
}

/** An address the briefing's MIME headers can carry (plain ASCII): refused here, not at the first send. */
function parseSendableEmail(key: string, value: unknown, example: string): string {
  const address = parseEmail(key, value, example);
  if (!isPlainEmailAddress(address))
    fail(
      key,
      `"${address}" cannot be sent to: it cannot go in an email header; ${PLAIN_EMAIL_ADDRESS_RULE}`,
      example,
    );
  return address;
}

function parseHour(value: unknown): number {
  if (value === undefined) return DEFAULTS.scheduleHour;
  const hour = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof hour !== 'number' || !Number.isInteger(hour) || hour < 0 || hour > 23) {
    fail('scheduleHour', `${JSON.stringify(value)} is not a whole hour from 0 to 23`, '7');
  }
  return hour;
}

/** Intl knows the IANA database; it throws a RangeError for a zone it does not know. */
function parseTimeZone(value: unknown): string {
  if (value === undefined) return DEFAULTS.scheduleTimeZone;
  if (typeof value !== 'string' || value.trim() === '') {
    fail('scheduleTimeZone', 'must be an IANA time zone name', DEFAULTS.scheduleTimeZone);
  }
  const zone = value.trim();
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
  } catch {
    return fail('scheduleTimeZone', `"${zone}" is not an IANA time zone`, DEFAULTS.scheduleTimeZone);
  }
  // Intl accepts any letter case but EventBridge Scheduler does not: take the listed spelling when there is
  // one. (Not resolvedOptions(): ICU maps current names to legacy ones, e.g. Asia/Kolkata → Asia/Calcutta.)
  const listed = Intl.supportedValuesOf('timeZone').find((z) => z.toLowerCase() === zone.toLowerCase());
  return listed ?? zone;
}

function parseSubscribers(value: unknown): string[] {
  if (value === undefined) return [];
  const list = fromJsonString(value);
  const items = typeof list === 'string' ? list.split(',').filter((s) => s.trim() !== '') : list;
  if (!Array.isArray(items)) {
    fail(
      'initialSubscribers',
      'must be a list of email addresses',
      '\'["ana@example.org","bo@example.org"]\'',
    );
  }
  const seen = new Set<string>();
  const out: string[] = [];
  for (const [i, item] of items.entries()) {
    const address = parseSendableEmail(`initialSubscribers[${i}]`, item, 'ana@example.org');
    const key = address.toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      out.push(address);
    }
  }
  return out;
}

function parseRemovalPolicy(value: unknown): RemovalPolicyName {
  if (value === undefined) return 'retain';
  if (value === 'retain' || value === 'destroy') return value;
  return fail('removalPolicy', `${JSON.stringify(value)} is neither "retain" nor "destroy"`, 'retain');
}

function parseText(key: string, value: unknown, fallback: string | undefined, example: string): string {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'string' || value.trim() === '') fail(key, 'missing or empty', example);
  const text = value.trim();
  // Header injection guard: these strings end up in email headers and the footer.
  if (/[\r\n]/.test(text)) fail(key, 'must be a single line', example);
  return text;
}

function parseTopicArn(value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !TOPIC_ARN_PATTERN.test(value)) {
    fail(
      'alarmTopicArn',
      `${JSON.stringify(value)} is not an SNS topic ARN`,
      'arn:aws:sns:eu-west-2:123456789012:ops-alarms',
    );
  }
  return value;
}

/** Unset (or set to "" on the command line): the briefing keeps the template's default accent. */
function parseAccentColor(value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  const colour = typeof value === 'string' ? value.trim() : value;
  if (typeof colour !== 'string' || !HEX_COLOUR_PATTERN.test(colour)) {
    fail('accentColor', `${JSON.stringify(value)} is not a #rrggbb colour`, "'#1a4d8f'");
  }
  return colour.toLowerCase();
}

/**
 * An https URL that goes into the email's HTML as written (an image source or a link base), so it must be a
 * plain absolute https URL: no whitespace, quotes or angle brackets, and no user:password part.
 */
function parseHttpsUrl(key: string, value: unknown, example: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  const text = typeof value === 'string' ? value.trim() : '';
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url === undefined || /[\s"'<>]/.test(text)) {
    fail(key, `${JSON.stringify(value)} is not an absolute URL`, example);
  }
  if (url.protocol !== 'https:')
    fail(key, `"${text}" must use https (mail clients block other images and links)`, example);
  if (url.username !== '' || url.password !== '')
    fail(key, `"${text}" must not carry a user name or password`, example);
  return text;
}

function parseBoolean(key: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return fail(key, `${JSON.stringify(value)} is neither true nor false`, 'true');
}

/** Longest retention accepted: ten years of stories in the working set is no longer a window. */
const MAX_ACTIVE_DAYS = 3650;

function parseActiveDays(value: unknown): number {
  if (value === undefined) return DEFAULTS.activeDays;
  const days = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > MAX_ACTIVE_DAYS) {
    fail(
      'activeDays',
      `${JSON.stringify(value)} is not a whole number of days from 1 to ${MAX_ACTIVE_DAYS}`,
      String(DEFAULTS.activeDays),
    );
  }
  return days;
}

const KNOWN_KEYS = new Set([
  'activeDays',
  'sesSandbox',
  'senderAddress',
  'senderName',
  'scheduleHour',
  'scheduleTimeZone',
  'initialSubscribers',
  'removalPolicy',
  'brandName',
  'postalAddress',
  'alarmTopicArn',
  'accentColor',
  'logoUrl',
  'archiveBaseUrl',
  'unsubscribeMailbox',
  'senderDomain',
  'hostedZoneId',
  'alarmEmail',
]);

/**
 * Gather the raw configuration from the app's whole context: the `newsDigest` block (cdk.json) overlaid with
 * any dotted `-c newsDigest.<key>=<value>` entries (the CDK CLI stores those under the literal dotted key).
 */
export function configFromContext(context: Record<string, unknown>): unknown {
  const block = fromJsonString(context[CONFIG_CONTEXT_KEY]);
  const prefix = `${CONFIG_CONTEXT_KEY}.`;
  const overrides = Object.entries(context).filter(([key]) => key.startsWith(prefix));
  if (overrides.length === 0) return block;
  const merged: Record<string, unknown> = isRecord(block) ? { ...block } : {};
  for (const [key, value] of overrides) merged[key.slice(prefix.length)] = value;
  return merged;
}

/**
 * Validate the raw `newsDigest` context value. Pure: no I/O, no process.env.
 * @throws ConfigError naming the key at fault and how to fix it.
 */
export function parseConfig(raw: unknown): DigestConfig {
  const value = fromJsonString(raw);
  if (!isRecord(value)) {
    throw new ConfigError(
      `Missing configuration: the "${CONFIG_CONTEXT_KEY}" context block is ${value === undefined ? 'absent' : 'not an object'}. ` +
        `Fix: add "${CONFIG_CONTEXT_KEY}": {"senderAddress": "briefing@yourdomain.com", "postalAddress": "1 High St, London"} ` +
        `to cdk.json "context", or pass -c ${CONFIG_CONTEXT_KEY}.senderAddress=briefing@yourdomain.com.`,
    );
  }
  for (const key of Object.keys(value)) {
    if (!KNOWN_KEYS.has(key)) {
      throw new ConfigError(
        `Unknown configuration key ${CONFIG_CONTEXT_KEY}.${key}. Known keys: ${[...KNOWN_KEYS].join(', ')}. Fix: remove or rename it.`,
      );
    }
  }
  const brand = parseBrandConfig(value);
  const senderAddress = parseSendableEmail('senderAddress', value.senderAddress, 'briefing@yourdomain.com');
  const alarmTopicArn = parseTopicArn(value.alarmTopicArn);
  const initialSubscribers = parseSubscribers(value.initialSubscribers);
  const sesSandbox = parseBoolean('sesSandbox', value.sesSandbox);
  if (sesSandbox && initialSubscribers.length === 0) {
    fail(
      'initialSubscribers',
      'is empty, but sesSandbox=true delivers only to verified recipients, so list them here',
      '\'["you@yourdomain.com"]\'',
    );
  }
  return {
    ...brand,
    senderAddress,
    unsubscribeMailbox:
      value.unsubscribeMailbox === undefined
        ? senderAddress
        : parseSendableEmail('unsubscribeMailbox', value.unsubscribeMailbox, 'unsubscribe@yourdomain.com'),
    scheduleHour: parseHour(value.scheduleHour),
    scheduleTimeZone: parseTimeZone(value.scheduleTimeZone),
    initialSubscribers,
    sesSandbox,
    removalPolicy: parseRemovalPolicy(value.removalPolicy),
    activeDays: parseActiveDays(value.activeDays),
    postalAddress: parseText(
      'postalAddress',
      value.postalAddress,
      undefined,
      '"1 High Street, London N1 1AA"',
    ),
    ...(alarmTopicArn === undefined ? {} : { alarmTopicArn }),
    ...parseMailDomainConfig(value, senderAddress),
  };
}

/**
 * Validate the brand keys of a `newsDigest` block (other keys are ignored). parseConfig uses it for the
 * stack; the local CLI uses it on cdk.json alone, where the deploy-only keys may be missing.
 * @throws ConfigError naming the key at fault and how to fix it.
 */
export function parseBrandConfig(raw: unknown): BrandConfig {
  const value = fromJsonString(raw);
  if (!isRecord(value)) {
    throw new ConfigError(
      `Invalid configuration: the "${CONFIG_CONTEXT_KEY}" context block is not an object. ${HOW_TO_SET}`,
    );
  }
  const brandName = parseText('brandName', value.brandName, DEFAULTS.brandName, '"Morning Brief"');
  const accentColor = parseAccentColor(value.accentColor);
  const logoUrl = parseHttpsUrl('logoUrl', value.logoUrl, 'https://news.example.org/logo.png');
  const archiveBaseUrl = parseHttpsUrl(
    'archiveBaseUrl',
    value.archiveBaseUrl,
    'https://news.example.org/archive',
  );
  return {
    brandName,
    senderName: parseText('senderName', value.senderName, brandName, '"Morning Brief"'),
    ...(accentColor === undefined ? {} : { accentColor }),
    ...(logoUrl === undefined ? {} : { logoUrl }),
    // The renderer appends "/<day>.html": a trailing slash would double it.
    ...(archiveBaseUrl === undefined ? {} : { archiveBaseUrl: archiveBaseUrl.replace(/\/+$/, '') }),
  };
}
