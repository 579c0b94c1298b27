/**
 * The Lambda environment, parsed once into typed values. A missing variable fails at cold start with a
 * message naming it, rather than as an undefined deep inside a request.
 */
import { ConfigError } from '../core/errors.ts';

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') {
    throw new ConfigError(
      `Environment variable ${name} is not set; the stack sets it on every function that needs it.`,
    );
  }
  return value;
}

function optional(name: string, fallback: string): string {
  const value = process.env[name];
  return value === undefined || value.trim() === '' ? fallback : value;
}

/** An optional setting without a default: null when unset or empty. */
function optionalOrNull(name: string): string | null {
  const value = process.env[name]?.trim();
  return value === undefined || value === '' ? null : value;
}

export const env = {
  bucketName: () => required('BUCKET_NAME'),
  senderAddress: () => required('SENDER_ADDRESS'),
  senderName: () => optional('SENDER_NAME', 'News Digest'),
  brandName: () => optional('BRAND_NAME', 'News Digest'),
  /** Operator brand from the stack's config (accentColor, logoUrl, archiveBaseUrl); null: template default. */
  accentColor: () => optionalOrNull('ACCENT_COLOR'),
  logoUrl: () => optionalOrNull('LOGO_URL'),
  archiveBaseUrl: () => optionalOrNull('ARCHIVE_BASE_URL'),
  postalAddress: () => optional('POSTAL_ADDRESS', ''),
  /** The List-Unsubscribe mailto address; null: the sender address (stacks before this setting). */
  unsubscribeMailbox: () => optionalOrNull('UNSUBSCRIBE_MAILBOX'),
  scheduleTimeZone: () => optional('SCHEDULE_TIME_ZONE', 'Europe/London'),
  unsubscribeUrl: () => required('UNSUBSCRIBE_URL'),
  unsubscribeSecretArn: () => required('UNSUBSCRIBE_SECRET_ARN'),
  sendQueueUrl: () => process.env.SEND_QUEUE_URL ?? null,
  templatesDir: () => process.env.TEMPLATES_DIR ?? null,
  /** Send workers running at once; each paces itself at 1/N of the account's SES rate. */
  sendWorkerConcurrency: () => {
    const value = Number(optional('SEND_WORKER_CONCURRENCY', '1'));
    if (!Number.isInteger(value) || value < 1) {
      throw new ConfigError(
        `SEND_WORKER_CONCURRENCY must be a positive whole number, not "${process.env.SEND_WORKER_CONCURRENCY}".`,
      );
    }
    return value;
  },
} as const;
