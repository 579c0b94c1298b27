/**
 * The Lambda environment, parsed once into typed values. A missing variable fails at cold start with a
 * message naming it, rather than as an undefined deep inside a request.
 */
import { DEFAULTS, ENV_NAMES, type EnvName } from '../contracts.ts';
import { ConfigError } from '../core/errors.ts';

function required(name: EnvName): string {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') {
    throw new ConfigError(
      `Environment variable ${name} is not set; the stack sets it on every function that needs it.`,
    );
  }
  return value;
}

function optional(name: EnvName, fallback: string): string {
  const value = process.env[name];
  return value === undefined || value.trim() === '' ? fallback : value;
}

/** An optional setting without a default: null when unset or empty. */
function optionalOrNull(name: EnvName): string | null {
  const value = process.env[name]?.trim();
  return value === undefined || value === '' ? null : value;
}

export const env = {
  bucketName: () => required(ENV_NAMES.bucketName),
  senderAddress: () => required(ENV_NAMES.senderAddress),
  senderName: () => optional(ENV_NAMES.senderName, DEFAULTS.brandName),
  brandName: () => optional(ENV_NAMES.brandName, DEFAULTS.brandName),
  /** Operator brand from the stack's config (accentColor, logoUrl, archiveBaseUrl); null: template default. */
  accentColor: () => optionalOrNull(ENV_NAMES.accentColor),
  logoUrl: () => optionalOrNull(ENV_NAMES.logoUrl),
  archiveBaseUrl: () => optionalOrNull(ENV_NAMES.archiveBaseUrl),
  postalAddress: () => optional(ENV_NAMES.postalAddress, ''),
  /** The archive site's public URL (the CloudFront distribution's unless archiveBaseUrl is configured). */
  siteUrl: () => required(ENV_NAMES.siteUrl),
  /** Where the archive's sign-up form posts; null: the site shows no form. */
  signupUrl: () => optionalOrNull(ENV_NAMES.signupUrl),
  /** The reader's preference page; null: emails carry no preference link. */
  preferencesUrl: () => optionalOrNull(ENV_NAMES.preferencesUrl),
  /** The List-Unsubscribe mailto address; null: the sender address (stacks before this setting). */
  unsubscribeMailbox: () => optionalOrNull(ENV_NAMES.unsubscribeMailbox),
  scheduleTimeZone: () => optional(ENV_NAMES.scheduleTimeZone, DEFAULTS.scheduleTimeZone),
  scheduleHour: () => {
    const value = Number(optional(ENV_NAMES.scheduleHour, String(DEFAULTS.scheduleHour)));
    if (!Number.isInteger(value) || value < 0 || value > 23) {
      throw new ConfigError(
        `${ENV_NAMES.scheduleHour} must be a whole hour from 0 to 23, not "${process.env[ENV_NAMES.scheduleHour]}".`,
      );
    }
    return value;
  },
  unsubscribeUrl: () => required(ENV_NAMES.unsubscribeUrl),
  unsubscribeSecretArn: () => required(ENV_NAMES.unsubscribeSecretArn),
  sendQueueUrl: () => process.env[ENV_NAMES.sendQueueUrl] ?? null,
  templatesDir: () => process.env[ENV_NAMES.templatesDir] ?? null,
  /** The SES configuration set of every send; null only where the stack set none (local emulators). */
  sesConfigurationSet: () => optionalOrNull(ENV_NAMES.sesConfigurationSet),
  /** Send workers running at once; each paces itself at 1/N of the account's SES rate. */
  sendWorkerConcurrency: () => {
    const name = ENV_NAMES.sendWorkerConcurrency;
    const value = Number(optional(name, '1'));
    if (!Number.isInteger(value) || value < 1) {
      throw new ConfigError(`${name} must be a positive whole number, not "${process.env[name]}".`);
    }
    return value;
  },
  /** Milliseconds a queued briefing stays sendable, or null for the default (send-worker). */
  sendMaxBriefingAgeMs: () => {
    const name = ENV_NAMES.sendMaxBriefingAgeHours;
    const raw = process.env[name]?.trim();
    if (raw === undefined || raw === '') return null;
    const hours = Number(raw);
    if (!Number.isFinite(hours) || hours <= 0) {
      throw new ConfigError(`${name} must be a positive number of hours, such as 24, not "${raw}".`);
    }
    return hours * 60 * 60 * 1000;
  },
  /** Milliseconds one file may take to be extracted, or undefined for the default (ingest). */
  extractionBudgetMs: () => {
    const name = ENV_NAMES.extractionBudgetMs;
    const raw = process.env[name]?.trim();
    if (raw === undefined || raw === '') return undefined;
    const ms = Number(raw);
    if (!Number.isInteger(ms) || ms <= 0) {
      throw new ConfigError(
        `${name} must be a positive whole number of milliseconds, such as 5000, not "${raw}".`,
      );
    }
    return ms;
  },
  /** The story engine's item table (ingest). */
  itemTableName: () => required(ENV_NAMES.itemTableName),
  /** Days a story stays in the ingest working set after its last article (ingest). */
  activeDays: () => {
    const raw = optional(ENV_NAMES.activeDays, String(DEFAULTS.activeDays));
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) {
      throw new ConfigError(`${ENV_NAMES.activeDays} must be a positive whole number of days, not "${raw}".`);
    }
    return value;
  },
} as const;
