/**
 * The contracts that the stack (infra/) and the functions share: the bucket layout, the names of the
 * environment variables the stack sets on each function, and the operator-facing defaults. Both sides import
 * this module, so a name or a prefix is written once. It holds constants only (no imports), so that every
 * Lambda bundle may include it for free.
 *
 * Adding something? Put a bucket prefix in BUCKET_PREFIXES (and, when its keys are fixed, the keys in
 * FIXED_KEYS), an environment variable in ENV_NAMES, and a default in DEFAULTS: each section says how.
 */

// ── Bucket layout ──────────────────────────────────────────────────────────────────────────────────────
/**
 * The one bucket's top-level prefixes. A new prefix also needs its IAM scoping in
 * infra/constructs/article-bucket.ts (DATA_PREFIX_KEYS, or a FIXED_KEYS entry per key).
 */
export const BUCKET_PREFIXES = {
  /** Contributors drop articles here; each ObjectCreated event feeds the ingest queue. */
  incoming: 'incoming/',
  /** One digest per day: digests/<YYYY-MM-DD>.json. */
  digests: 'digests/',
  /** Files that cannot become an article, with the reason: quarantine/<key>.json. */
  quarantine: 'quarantine/',
  /** The subscriber list (and subscribers/initial.json, written at deploy by older stacks). */
  subscribers: 'subscribers/',
  /** The send ledger: sent/<edition>/<HMAC-SHA256 of the address>.json (core/address-key.ts), one per edition and subscriber. */
  sent: 'sent/',
  /** Incremental ingest state (engine state) and the article records. */
  state: 'state/',
  /** Operator switches: control/sending-paused.json, set by the reputation guard. */
  control: 'control/',
  /**
   * Item values too large for a DynamoDB item (long article texts), gzipped and named by their content:
   * item-values/<SHA-256>.json.gz, referenced from the item.
   */
  itemValues: 'item-values/',
  /** The public archive site (pages, feeds, style sheet), served by CloudFront through OAC. */
  site: 'site/',
  /**
   * One empty marker per day whose digest is due to be rebuilt (digest-requests/<YYYY-MM-DD>), written by
   * ingest after each commit; its notifications feed the digest builder's queue.
   */
  digestRequests: 'digest-requests/',
} as const;

export type BucketPrefixName = keyof typeof BUCKET_PREFIXES;

/**
 * Every key that state/ and subscribers/ ever hold. The stack grants them one by one, so that, for example,
 * the public unsubscribe endpoint cannot overwrite the stack's initial subscribers.
 */
export const FIXED_KEYS = {
  /** The engine's state, written with If-Match / If-None-Match. */
  engineState: `${BUCKET_PREFIXES.state}newsroom.json`,
  /** One record per input file ever seen (a derived object; its revision travels as metadata). */
  articleRecords: `${BUCKET_PREFIXES.state}articles.jsonl`,
  /** Subscribers added and removed by operators and the unsubscribe endpoint. */
  subscriberList: `${BUCKET_PREFIXES.subscribers}list.json`,
  /** Initial subscribers written at deploy by stacks before issue 18; still read, written by nothing now. */
  initialSubscribers: `${BUCKET_PREFIXES.subscribers}initial.json`,
  /** What the archive site was last published from (digest hashes, update times, thread links). */
  siteManifest: `${BUCKET_PREFIXES.state}site.json`,
  /**
   * Present while sending is paused: written by the reputation guard when a bounce or complaint alarm
   * fires, deleted by the operator to resume (README "The reputation guard paused sending").
   */
  sendingPause: `${BUCKET_PREFIXES.control}sending-paused.json`,
} as const;

export type FixedKeyName = keyof typeof FIXED_KEYS;

// ── Environment variables ──────────────────────────────────────────────────────────────────────────────
/**
 * The environment variables the stack sets and functions/adapters/env.ts reads. Add a name here, set it in
 * the construct that needs it (`[ENV_NAMES.x]: value`) and read it through env.ts.
 */
export const ENV_NAMES = {
  bucketName: 'BUCKET_NAME',
  senderAddress: 'SENDER_ADDRESS',
  senderName: 'SENDER_NAME',
  brandName: 'BRAND_NAME',
  accentColor: 'ACCENT_COLOR',
  logoUrl: 'LOGO_URL',
  archiveBaseUrl: 'ARCHIVE_BASE_URL',
  postalAddress: 'POSTAL_ADDRESS',
  unsubscribeMailbox: 'UNSUBSCRIBE_MAILBOX',
  scheduleTimeZone: 'SCHEDULE_TIME_ZONE',
  unsubscribeUrl: 'UNSUBSCRIBE_URL',
  unsubscribeSecretArn: 'UNSUBSCRIBE_SECRET_ARN',
  sendQueueUrl: 'SEND_QUEUE_URL',
  sendWorkerConcurrency: 'SEND_WORKER_CONCURRENCY',
  /** Hours a queued briefing stays sendable (send-worker); unset: one day. */
  sendMaxBriefingAgeHours: 'SEND_MAX_BRIEFING_AGE_HOURS',
  /** Milliseconds one file may take to be extracted (ingest); unset: EXTRACTION_BUDGET_MS. */
  extractionBudgetMs: 'EXTRACTION_BUDGET_MS',
  templatesDir: 'TEMPLATES_DIR',
  /** The DynamoDB table of the story engine's items (ingest only). */
  itemTableName: 'ITEM_TABLE_NAME',
  /** Days a story stays in the engine's working set after its last article (ingest only). */
  activeDays: 'ACTIVE_DAYS',
  /** The SES configuration set every send names (ConfigurationSetName on SendRawEmail). */
  sesConfigurationSet: 'SES_CONFIGURATION_SET',
  /** The archive site's public URL (publisher: the feeds' absolute links). */
  siteUrl: 'SITE_URL',
  /** Where the archive's sign-up form posts (the reader Function URL). */
  signupUrl: 'SIGNUP_URL',
  /** The reader's preference page (send functions: the link in every email's footer). */
  preferencesUrl: 'PREFERENCES_URL',
  /**
   * The operator's default local hour for readers who chose none: the hourly send reads it, and the reader
   * endpoint shows it on the preference page.
   */
  scheduleHour: 'SCHEDULE_HOUR',
} as const;

export type EnvName = (typeof ENV_NAMES)[keyof typeof ENV_NAMES];

// ── Bundle layout ──────────────────────────────────────────────────────────────────────────────────────
/**
 * Files a function's bundle holds beside its index.mjs: infra/bundling.ts writes them, the handler
 * starts them. The ingest function extracts each file on a time-boxed worker thread started from this.
 */
export const BUNDLE_FILES = {
  prepareWorker: 'prepare-worker.mjs',
} as const;

// ── Function limits ────────────────────────────────────────────────────────────────────────────────
/**
 * The ingest function's timeout: the stack sets it, and the function takes an intent older than this
 * (app/batch-intent.ts) for one an invocation killed at the timeout left behind.
 */
export const INGEST_TIMEOUT_SECONDS = 120;

// ── Defaults ───────────────────────────────────────────────────────────────────────────────────────────
/** What an operator gets without setting anything (DESIGN.md §1: a morning briefing at 07:00 London time). */
export const DEFAULTS = {
  brandName: 'News Digest',
  scheduleHour: 7,
  scheduleTimeZone: 'Europe/London',
  /** A story leaves the working set (and its index items expire) this many days after its last article. */
  activeDays: 30,
  /** `npm run serve`'s port; the local site's feeds link to http://localhost:<port>/ unless archiveBaseUrl is set. */
  servePort: 8787,
} as const;

// ── Item table ─────────────────────────────────────────────────────────────────────────────────────────
/**
 * Attribute names of the DynamoDB item table: the stack defines its key schema and TTL attribute from
 * these, and functions/adapters/dynamo-item-store.ts reads and writes them.
 */
export const ITEM_TABLE = {
  /** Partition key (string). */
  partitionKey: 'pk',
  /** Sort key (string); stored with a leading '#' because DynamoDB refuses an empty key string. */
  sortKey: 'sk',
  /** Version of the item, the attribute every conditional write names (number). */
  version: 'ver',
  /** Expiry in seconds since the epoch: the table's TTL attribute (number; absent: kept for good). */
  expiresAt: 'exp',
  /** The value as JSON text, when small. */
  json: 'v',
  /** The value as gzipped JSON, when larger. */
  gzip: 'z',
  /** The bucket key of the gzipped JSON when it is too large for an item (DynamoDB's 400 KB). */
  largeValueKey: 'ref',
  /** Prefix of the number attributes of a counter item (one per counter, added to with ADD). */
  counterPrefix: 'c:',
  /**
   * Partitions of unversioned entries (a term's postings, an LSH band's bucket, a story's followers), each
   * kept as one item whose attributes are the entries, so a whole partition is one key of a BatchGetItem,
   * not a Query.
   */
  entrySetPartitions: ['term#', 'band#', 'followers#'],
  /** Prefix of an entry's attribute in an entry-set item: `e:<sort key>`, holding the entry as JSON. */
  entryPrefix: 'e:',
  /** Prefix of a counter attribute in an entry-set item (a term's document frequency): `k:<sort key>`. */
  entryCounterPrefix: 'k:',
} as const;
