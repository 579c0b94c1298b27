/**
 * `subscribers list | add | remove | set`: changes the deployed list (--bucket, or BUCKET_NAME) or the
 * local one (--local), named explicitly so the wrong list is never changed silently.
 */
import { resolve } from 'node:path';
import { domainToASCII } from 'node:url';
import { parseArgs } from 'node:util';
import { FsSubscriberStore } from './adapters/fs-store.ts';
import { DEFAULT_OUTPUT_DIR, displayPath, UsageError } from './cli-usage.ts';
import { ENV_NAMES } from './contracts.ts';
import { isPlainEmailAddress, PLAIN_EMAIL_ADDRESS_RULE } from './core/address.ts';
import {
  cadenceOf,
  countByStatus,
  isComplaintSuppressed,
  parsePreferences,
  type Subscriber,
  statusLabel,
  withPreferences,
} from './core/subscriber.ts';
import type { SubscriberStore } from './ports.ts';

/**
 * What `remove` takes: anything address-shaped, so that an address stored before addresses were
 * checked (an international one, say) can still be removed. `add` takes only plain addresses.
 */
const ADDRESS_SHAPE = /^[^\s@<>]+@[^\s@<>]+$/;

const SUBSCRIBERS_USAGE =
  'Usage: npm run subscribers -- list | add <email> [--override] | remove <email> | ' +
  'set <email> [--cadence daily|weekly] [--time-zone IANA] [--hour 0-23], with (--bucket <BucketName> | --local [--out <dir>]). ' +
  'BUCKET_NAME in the environment stands in for --bucket; --secret-arn <arn> (or UNSUBSCRIBE_SECRET_ARN) keys unsubscribe tombstones with the stack secret.';

/** Why `add` refuses an address, and the ASCII (xn--) form of an international domain when there is one. */
function unsendableAddressMessage(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  const asciiDomain = domain === '' ? '' : domainToASCII(domain);
  const suggestion = `${local}@${asciiDomain}`;
  const hint =
    asciiDomain !== '' && suggestion !== email && isPlainEmailAddress(suggestion)
      ? ` Did you mean ${suggestion}?`
      : '';
  return `"${email}" cannot be added: the briefing goes to plain email addresses only, and ${PLAIN_EMAIL_ADDRESS_RULE}.${hint}`;
}

/**
 * The subscriber list to change, named explicitly: a deployed list and the local one look alike, and
 * changing the wrong one silently (the old default) leaves the real list as it was.
 */
async function subscriberTarget(values: {
  local?: boolean;
  bucket?: string;
  out?: string;
  'secret-arn'?: string;
}): Promise<{ store: SubscriberStore; where: string }> {
  const bucket = values.bucket ?? (process.env[ENV_NAMES.bucketName]?.trim() || undefined);
  if (values.local && values.bucket !== undefined) {
    throw new UsageError(
      'Choose one subscriber list: --bucket <name> for the deployed one, or --local for the local store, not both.',
    );
  }
  if (values.local) {
    const store = new FsSubscriberStore(resolve(values.out ?? DEFAULT_OUTPUT_DIR));
    return { store, where: `the local store at ${displayPath(store.location)}` };
  }
  if (values.out !== undefined) throw new UsageError('--out names a local store: add --local to use it.');
  if (bucket === undefined) {
    throw new UsageError(
      'Say which subscriber list to change: --bucket <BucketName> (the stack output; or set BUCKET_NAME) for the deployed list, or --local for the local store in out/.',
    );
  }
  // Without the secret, tombstones are the legacy unkeyed hash, which still hides the address.
  const secretArn =
    values['secret-arn'] ?? (process.env[ENV_NAMES.unsubscribeSecretArn]?.trim() || undefined);
  const loadSecret =
    secretArn === undefined
      ? undefined
      : async () => (await import('./adapters/secrets.ts')).unsubscribeSecret(secretArn);
  const store = await (await import('./adapters/s3-subscriber-store.ts')).s3SubscriberStoreFor(
    bucket,
    loadSecret,
  );
  return { store, where: store.location };
}

/** One `subscribers list` row: address, status, cadence and local time, tab-separated. */
function subscriberRow(subscriber: Subscriber): string {
  const hour = subscriber.hour === undefined ? null : `${String(subscriber.hour).padStart(2, '0')}:00`;
  const when =
    subscriber.timeZone === undefined && hour === null
      ? "operator's time"
      : `${hour ?? "operator's hour"} ${subscriber.timeZone ?? "(operator's zone)"}`;
  return [subscriber.email, statusLabel(subscriber), cadenceOf(subscriber), when].join('\t');
}

export async function runSubscribers(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string' },
      local: { type: 'boolean' },
      bucket: { type: 'string' },
      'secret-arn': { type: 'string' },
      override: { type: 'boolean' },
      cadence: { type: 'string' },
      'time-zone': { type: 'string' },
      hour: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const [action, given] = positionals;
  const needsAddress = action === 'add' || action === 'remove' || action === 'set';
  if (action !== 'list' && (!needsAddress || given === undefined)) throw new UsageError(SUBSCRIBERS_USAGE);
  const email = given?.trim().toLowerCase() ?? '';
  if (action === 'add' && !isPlainEmailAddress(email)) throw new UsageError(unsendableAddressMessage(email));
  if ((action === 'remove' || action === 'set') && !ADDRESS_SHAPE.test(email)) {
    throw new UsageError(`"${given}" is not an email address.`);
  }
  const preferences = parsePreferences({
    cadence: values.cadence,
    timeZone: values['time-zone'],
    hour: values.hour,
  });
  if (action === 'set' && Object.keys(preferences).length === 0) {
    throw new UsageError(
      'set needs at least one of --cadence daily|weekly, --time-zone <IANA zone>, --hour 0-23; for example: set ann@example.org --cadence weekly --time-zone Asia/Tokyo --hour 7',
    );
  }
  if (action !== 'set' && Object.keys(preferences).length > 0) {
    throw new UsageError(
      '--cadence, --time-zone and --hour go with set: npm run subscribers -- set <email> …',
    );
  }
  if (values.override && action !== 'add') throw new UsageError('--override goes with add only.');
  const { store, where } = await subscriberTarget(values);
  if (action === 'list') {
    const all = await store.list();
    for (const subscriber of all) process.stdout.write(`${subscriberRow(subscriber)}\n`);
    const counts = Object.entries(countByStatus(all)).map(([label, n]) => `${label} ${n}`);
    process.stderr.write(`${all.length} address(es): ${counts.join(', ')} (from ${where})\n`);
  } else if (action === 'add') {
    const before = await store.get(email);
    const added = await store.add(email, { override: values.override === true });
    if (before !== null && isComplaintSuppressed(before) && !isComplaintSuppressed(added)) {
      // The one way back for a reader who complained: it must leave a trace an auditor can find.
      process.stderr.write(
        `news-digest: override: re-added ${email}, suppressed for a complaint on ${before.suppression?.at}, in ${where} at ${added.complaintOverriddenAt}.\n`,
      );
    }
    process.stdout.write(`Added ${email} to ${where}.\n`);
  } else if (action === 'set') {
    const updated = await store.update(email, (current) => withPreferences(current, preferences));
    if (updated === null) throw new UsageError(`${email} is not on ${where}; add it first.`);
    process.stdout.write(
      `Set ${email} in ${where}: ${subscriberRow(updated).split('\t').slice(1).join(', ')}.\n`,
    );
  } else {
    const removed = await store.remove(email);
    process.stdout.write(
      removed ? `Removed ${email} from ${where}.\n` : `${email} was not subscribed in ${where}.\n`,
    );
  }
}
