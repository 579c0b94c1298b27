/**
 * The local command line: the same pipeline as the Lambdas, on folders. Files stand in for S3 and an
 * outbox folder stands in for SES.
 *
 *   digest     [--in seeds] [--out out] [--now ISO-8601]
 *   summarize  <file> [--sentences N]
 *   subscribers add|remove|list [email] [--local] [--out out]
 *   send       [--out out] [--date YYYY-MM-DD]       (local: writes to <out>/outbox)
 *   preview    [--date YYYY-MM-DD] [--out out]
 */
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  FsArticleSource,
  FsDigestStore,
  FsSendLedger,
  FsSubscriberStore,
  listFilesOldestFirst,
} from './adapters/fs-store.ts';
import { localBriefingConfig } from './adapters/local-briefing-config.ts';
import { OutboxMailer } from './adapters/outbox-mailer.ts';
import { DEFAULT_LOCAL_WORKERS, PREPARE_WORKERS, withLocalPreparer } from './adapters/prepare-pool.ts';
import { loadTemplates } from './adapters/templates.ts';
import { ingestBatch } from './app/ingest-batch.ts';
import { writeDayEmails } from './app/local-email.ts';
import { sendBriefing } from './app/send-briefing.ts';
import { NewsDigestError } from './core/errors.ts';
import { extractArticle } from './core/extract/index.ts';
import { summarizeArticle } from './core/stories/summarise.ts';

/**
 * The local HMAC key for unsubscribe links. Local outbox mail is never delivered, so a fixed key is
 * harmless here; the deployed stack generates a secret in Secrets Manager instead.
 */
const LOCAL_UNSUBSCRIBE_SECRET = 'local-development-only';
const DEFAULT_INPUT_DIR = 'seeds';
const DEFAULT_OUTPUT_DIR = 'out';
const DEFAULT_SUMMARY_SENTENCES = 3;

class UsageError extends NewsDigestError {
  override name = 'UsageError';
}

function parseNow(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new UsageError(`--now must be an ISO-8601 date-time such as 2022-02-28T12:00:00Z, not "${value}".`);
  }
  return date;
}

/**
 * `--workers`: absent means DEFAULT_LOCAL_WORKERS (every core but the engine's); `auto` means at
 * least one (PREPARE_WORKERS); 0 keeps the whole run on one thread.
 */
function parseWorkers(value: string | undefined): number {
  if (value === undefined) return DEFAULT_LOCAL_WORKERS;
  if (value === 'auto') return PREPARE_WORKERS;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 64) {
    throw new UsageError(`--workers must be a whole number from 0 to 64, or auto; got "${value}".`);
  }
  return n;
}

async function runDigest(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      in: { type: 'string' },
      out: { type: 'string' },
      now: { type: 'string' },
      workers: { type: 'string' },
    },
    strict: true,
  });
  const inputDir = resolve(values.in ?? DEFAULT_INPUT_DIR);
  const workers = parseWorkers(values.workers);
  const outputDir = resolve(values.out ?? DEFAULT_OUTPUT_DIR);
  const now = parseNow(values.now);

  let files: Awaited<ReturnType<typeof listFilesOldestFirst>>;
  try {
    files = await listFilesOldestFirst(inputDir);
  } catch (error) {
    throw new UsageError(
      `Cannot read the input folder ${inputDir}: ${(error as Error).message}. Pass an existing folder with --in.`,
      {
        cause: error,
      },
    );
  }
  const store = new FsDigestStore(outputDir);
  const requests = files.map((file) => ({ key: file.key, ...(now ? { arrivedAt: now } : {}) }));
  const report = await withLocalPreparer(
    requests.length,
    (preparation) => ingestBatch(requests, { source: new FsArticleSource(inputDir), store, ...preparation }),
    { workers, onWarning: (message) => process.stderr.write(`news-digest: ${message}\n`) },
  );

  const emailDays = await writeDayEmails(store, outputDir, {
    changedDays: report.changedDays,
    config: await localBriefingConfig(),
    templates: await loadTemplates(),
    unsubscribeSecret: LOCAL_UNSUBSCRIBE_SECRET,
  });

  const count = (kind: string) => report.files.filter((f) => f.outcome.kind === kind).length;
  const lines = [
    `Processed ${files.length} file(s) from ${inputDir}`,
    `  new articles: ${count('story')}   duplicates: ${count('duplicate')}   rejected: ${count('rejected')}   unchanged: ${count('unchanged')}${count('failed') ? `   failed (retry): ${count('failed')}` : ''}`,
  ];
  for (const file of report.files) {
    if (file.outcome.kind === 'rejected') lines.push(`  rejected ${file.key}: ${file.outcome.reason}`);
    if (file.outcome.kind === 'failed') lines.push(`  failed ${file.key}: ${file.outcome.error.message}`);
  }
  lines.push('Stories per day:');
  for (const day of report.newsroom.days()) {
    const digest = report.newsroom.digest(day);
    lines.push(`  ${day}: ${digest.stories.length} stor${digest.stories.length === 1 ? 'y' : 'ies'}`);
  }
  lines.push(`Digests:  ${join(outputDir, 'digests')}/`);
  lines.push(`Articles: ${join(outputDir, 'articles.jsonl')}`);
  lines.push(
    `Email:    ${join(outputDir, 'email')}/<day>.{html,txt,eml} (${emailDays.length} rendered in this run)`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
  if (count('failed') > 0) process.exitCode = 1;
}

async function runSummarize(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { sentences: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const file = positionals[0];
  if (file === undefined) throw new UsageError('Usage: npm run summarize -- <file> [--sentences N]');
  const sentences = values.sentences === undefined ? DEFAULT_SUMMARY_SENTENCES : Number(values.sentences);
  if (!Number.isInteger(sentences) || sentences < 1) {
    throw new UsageError(`--sentences must be a positive whole number, not "${values.sentences}".`);
  }
  const bytes = await readFile(file);
  const article = await extractArticle({ key: basename(file), bytes, arrivedAt: new Date() });
  for (const sentence of summarizeArticle(article.title, article.text, sentences)) {
    process.stdout.write(`${sentence}\n`);
  }
}

async function runSend(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { out: { type: 'string' }, date: { type: 'string' } },
    strict: true,
  });
  const outputDir = resolve(values.out ?? DEFAULT_OUTPUT_DIR);
  const report = await sendBriefing(
    { ...(values.date ? { day: values.date } : {}), now: new Date() },
    {
      store: new FsDigestStore(outputDir),
      subscribers: new FsSubscriberStore(outputDir),
      ledger: new FsSendLedger(outputDir),
      mailer: new OutboxMailer(join(outputDir, 'outbox')),
      config: await localBriefingConfig(),
      templates: await loadTemplates(),
      unsubscribeSecret: LOCAL_UNSUBSCRIBE_SECRET,
    },
  );
  process.stdout.write(
    `${report.day ? `Briefing ${report.day}` : 'No digest to send'}: sent ${report.sent}, already sent ${report.skipped}, failed ${report.failed}. Outbox: ${join(outputDir, 'outbox')}/\n`,
  );
  if (report.failed > 0) process.exitCode = 1;
}

const EMAIL_PATTERN = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

async function runSubscribers(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { out: { type: 'string' }, local: { type: 'boolean' }, bucket: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const [action, email] = positionals;
  const store =
    values.local || !values.bucket
      ? new FsSubscriberStore(resolve(values.out ?? DEFAULT_OUTPUT_DIR))
      : await (await import('./adapters/s3-stores.ts')).s3SubscriberStoreFor(values.bucket);
  if (action === 'list') {
    for (const subscriber of await store.list()) process.stdout.write(`${subscriber.email}\n`);
    return;
  }
  if ((action !== 'add' && action !== 'remove') || email === undefined) {
    throw new UsageError('Usage: npm run subscribers -- add|remove|list [email] [--local | --bucket <name>]');
  }
  if (!EMAIL_PATTERN.test(email)) throw new UsageError(`"${email}" is not an email address.`);
  if (action === 'add') {
    await store.add(email.trim().toLowerCase());
    process.stdout.write(`Added ${email}.\n`);
  } else {
    const removed = await store.remove(email.trim().toLowerCase());
    process.stdout.write(removed ? `Removed ${email}.\n` : `${email} was not subscribed.\n`);
  }
}

async function runPreviewCommand(argv: string[]): Promise<void> {
  const { runPreview } = await import('./preview.ts');
  await runPreview(argv);
}

const COMMANDS: Record<string, (argv: string[]) => Promise<void>> = {
  digest: runDigest,
  summarize: runSummarize,
  summarise: runSummarize,
  send: runSend,
  subscribers: runSubscribers,
  preview: runPreviewCommand,
};

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const run = command === undefined ? undefined : COMMANDS[command];
  if (run === undefined) {
    throw new UsageError(
      `Unknown command "${command ?? ''}". Commands: ${Object.keys(COMMANDS).join(', ')}.`,
    );
  }
  await run(rest);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`news-digest: ${message}\n`);
  const isUsageMistake = String((error as { code?: unknown }).code ?? '').startsWith('ERR_PARSE_ARGS');
  if (!(error instanceof NewsDigestError) && !isUsageMistake && error instanceof Error && error.stack) {
    process.stderr.write(`${error.stack}\n`);
  }
  process.exitCode = 2;
});
