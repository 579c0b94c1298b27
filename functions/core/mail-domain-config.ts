/**
 * The sending-domain keys of the `newsDigest` block: the SES domain identity (Easy DKIM, custom MAIL
 * FROM), an optional Route 53 zone that receives its records, and the address the alarms email. Pure;
 * every error names the key and a valid example.
 */
import { isPlainEmailAddress } from './address.ts';
import { ConfigError } from './errors.ts';

/** The MAIL FROM subdomain SES bounces through, under the sender domain (SPF then aligns with From). */
export const MAIL_FROM_LABEL = 'mail';

export interface MailDomainConfig {
  /** The domain SES signs for with DKIM: the sender address's domain, or a parent of it. */
  readonly senderDomain: string;
  /** `mail.<senderDomain>`: the envelope sender's domain. */
  readonly mailFromDomain: string;
  /** A Route 53 public hosted zone for `senderDomain`: the stack then creates every DNS record itself. */
  readonly hostedZoneId?: string;
  /** An address subscribed (by email, confirmed by its owner) to the alarm topic. */
  readonly alarmEmail?: string;
}

const DOMAIN = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;

function fail(key: string, problem: string, example: string): never {
  throw new ConfigError(
    `Invalid configuration newsDigest.${key}: ${problem}. Fix: -c newsDigest.${key}=${example}`,
  );
}

/** @throws ConfigError naming the key at fault. */
export function parseMailDomainConfig(
  value: Record<string, unknown>,
  senderAddress: string,
): MailDomainConfig {
  const addressDomain = (senderAddress.split('@')[1] ?? '').toLowerCase();
  const raw = value.senderDomain ?? addressDomain;
  const senderDomain = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  if (!DOMAIN.test(senderDomain))
    fail('senderDomain', `${JSON.stringify(raw)} is not a domain name`, 'news.example.com');
  if (addressDomain !== senderDomain && !addressDomain.endsWith(`.${senderDomain}`)) {
    fail(
      'senderDomain',
      `"${senderDomain}" is not the domain of senderAddress (${addressDomain}) nor a parent of it, so DKIM would not align with From`,
      addressDomain,
    );
  }
  const zone = value.hostedZoneId;
  if (zone !== undefined && zone !== '' && (typeof zone !== 'string' || !HOSTED_ZONE_ID.test(zone))) {
    fail('hostedZoneId', `${JSON.stringify(zone)} is not a Route 53 hosted zone id`, 'Z0123456789ABCDEFGHIJ');
  }
  const email = value.alarmEmail;
  if (
    email !== undefined &&
    email !== '' &&
    (typeof email !== 'string' || !isPlainEmailAddress(email.trim()))
  ) {
    fail('alarmEmail', `${JSON.stringify(email)} is not a plain email address`, 'ops@yourdomain.com');
  }
  return {
    senderDomain,
    mailFromDomain: `${MAIL_FROM_LABEL}.${senderDomain}`,
    ...(typeof zone === 'string' && zone !== '' ? { hostedZoneId: zone } : {}),
    ...(typeof email === 'string' && email.trim() !== '' ? { alarmEmail: email.trim() } : {}),
  };
}

/** The DMARC record to start with: report only (`p=none`), reports to `rua`. Move to quarantine later (README). */
export function suggestedDmarc(reportAddress: string): string {
  return `v=DMARC1; p=none; rua=mailto:${reportAddress}`;
}
