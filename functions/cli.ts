/**
 * The local command line: the same pipeline as the Lambdas, on folders. Files stand in for S3 and an
 * outbox folder stands in for SES.
 *
 *   digest     [--in seeds] [--out out] [--now ISO-8601] [--workers N|auto] [--quiet]
 *   summarise  <file> [--sentences N]   (also `summarize`, the npm script's name in DESIGN.md §3)
 *   subscribers list | add <email> [--override] | remove <email> | set <email> [--cadence daily|weekly]
 *               [--time-zone IANA] [--hour 0-23]   (--local [--out out] | --bucket <name>; BUCKET_NAME stands in for --bucket)
 *   send       [--out out] [--date YYYY-MM-DD] [--now ISO-8601]   (local: readers due at --now, or everyone
 *               for --date; writes to <out>/outbox)
 *   preview    [--date YYYY-MM-DD] [--out out]
 *   feedback   <event.json> [--out out]       (applies one SES event to the local subscriber list)
 *   serve      [--out out] [--port 8787]            (the site and the reader pages on localhost)
 */

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { FsSiteStore } from './adapters/fs-site-store.ts';
import {
  FsArticleSource,
  FsDigestStore,
  FsSendLedger,
  FsSubscriberStore,
  listFilesOldestFirst,
} from './adapters/fs-store.ts';
import { localBriefingConfig, localSiteConfig } from './adapters/local-briefing-config.ts';
import { writeDayEmails } from './adapters/local-email.ts';
import { ITEM_STORE_FILE, LocalItemState } from './adapters/local-item-state.ts';
import { DEFAULT_LOCAL_WORKERS, withLocalPreparer } from './adapters/local-preparation.ts';
import { mjmlRenderer } from './adapters/mjml-renderer.ts';
import { OutboxMailer } from './adapters/outbox-mailer.ts';
import { PREPARE_WORKERS } from './adapters/prepare-pool.ts';
import { fileProgress } from './adapters/progress.ts';
import { FsSendingPause } from './adapters/sending-pause.ts';
import { loadTemplates } from './adapters/templates.ts';
import { applyFeedback } from './app/apply-feedback.ts';
import {
  ingestLocally,
  type LocalIngestReport,
  migrateWholeState,
  rebuildOutputs,
} from './app/ingest-local.ts';
import { publishSite } from './app/publish-site.ts';
import { type SendReport, sendBriefing, sendDueBriefings } from './app/send-briefing.ts';
import { runSubscribers } from './cli-subscribers.ts';
import { DEFAULT_OUTPUT_DIR, displayPath, UsageError } from './cli-usage.ts';
import { DEFAULTS } from './contracts.ts';
import { isCalendarDay } from './core/day.ts';
import { NewsDigestError } from './core/errors.ts';
import { extractArticle } from './core/extract/index.ts';
import { type FeedbackEvent, parseSesEvent, sesEventOfMessage } from './core/ses-event.ts';
import { summariseArticle } from './core/stories/summarise.ts';
import type { Day } from './core/types.ts';

/**
 * The local HMAC key for unsubscribe links. Local outbox mail is never delivered, so a fixed key is
 * harmless here; the deployed stack generates a secret in Secrets Manager instead.
 */
const LOCAL_UNSUBSCRIBE_SECRET = 'local-development-only';
const DEFAULT_INPUT_DIR = 'seeds';
const DEFAULT_SUMMARY_SENTENCES = 3;

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

/**
 * The ingest leaves its working set (or a whole engine) as garbage that V8 would collect only once the
 * rendering after it had grown the heap further: one full collection here keeps the two apart.
 */
function collectIngestGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as (options: object) => void)({
    type: 'major',
    execution: 'sync',
    flavor: 'last-resort',
  });
}

async function runDigest(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      in: { type: 'string' },
      out: { type: 'string' },
      now: { type: 'string' },
      workers: { type: 'string' },
      quiet: { type: 'boolean' },
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
  const state = new LocalItemState(outputDir);
  const requests = files.map((file) => ({ key: file.key, ...(now ? { arrivedAt: now } : {}) }));
  const progress = fileProgress(requests.length, { quiet: values.quiet ?? false });
  const base = {
    source: new FsArticleSource(inputDir),
    store,
    items: state.items,
    records: state.records,
    activeDays: DEFAULTS.activeDays,
  };
  let report: LocalIngestReport;
  let rebuiltDays: Day[] = [];
  try {
    const interrupted = state.wasInterrupted();
    await state.markRunStarted();
    if (state.hasWholeState()) {
      state.forgetWholeStateRevisions();
      const old = await store.loadState();
      rebuiltDays = await migrateWholeState(old?.value ?? null, base);
      const retired = await state.retireWholeState();
      process.stderr.write(
        `news-digest: moved the engine state of ${displayPath(join(outputDir, 'state', 'newsroom.json'))} into ${displayPath(join(outputDir, ITEM_STORE_FILE))}; the old file is now ${displayPath(retired)} and may be deleted.\n`,
      );
    }
    // DynamoDB's TTL stand-in, before the ingest: an expired counter must not take its increments on top of its old count.
    state.items.sweepExpired();
    report = await withLocalPreparer(
      requests.length,
      (preparation) =>
        ingestLocally(requests, { ...base, ...preparation, onProgress: (done) => progress.update(done) }),
      { workers, onWarning: (message) => process.stderr.write(`news-digest: ${message}\n`) },
    ).finally(() => progress.stop());
    // A run that stopped between its item writes and its outputs: derive them all again from the store.
    if (interrupted) rebuiltDays = await rebuildOutputs(base);
  } catch (error) {
    state.close();
    throw error;
  }
  const changedDays = [...new Set([...report.changedDays, ...rebuiltDays])].sort();
  collectIngestGarbage();

  const config = await localBriefingConfig();
  const emailDays = await writeDayEmails(store, outputDir, {
    changedDays,
    config,
    render: mjmlRenderer(await loadTemplates()),
    unsubscribeSecret: LOCAL_UNSUBSCRIBE_SECRET,
  });
  const site = new FsSiteStore(outputDir);
  const published = await publishSite(
    {
      digests: store,
      site,
      config: localSiteConfig(config),
      onRenderFailed: (day, error) =>
        process.stderr.write(
          `news-digest: the site page of ${day} was not rendered (the previous one stays): ${error.message}\n`,
        ),
    },
    {
      changedDays,
      now: now ?? new Date(),
      all: rebuiltDays.length > 0 || !existsSync(join(site.siteDir, 'index.html')),
    },
  );
  state.markRunFinished();
  state.close();

  const count = (kind: string) => report.files.filter((f) => f.outcome.kind === kind).length;
  const lines = [
    `Processed ${files.length} file(s) from ${inputDir}`,
    `  new articles: ${count('story')}   duplicates: ${count('duplicate')}   rejected: ${count('rejected')}   unchanged: ${count('unchanged')}${count('failed') ? `   failed (retry): ${count('failed')}` : ''}`,
  ];
  for (const file of report.files) {
    if (file.outcome.kind === 'rejected') lines.push(`  rejected ${file.key}: ${file.outcome.reason}`);
    if (file.outcome.kind === 'failed') lines.push(`  failed ${file.key}: ${file.outcome.error.message}`);
  }
  lines.push(changedDays.length > 0 ? 'Stories per changed day:' : 'No digest changed.');
  for (const day of changedDays) {
    const stories = (await store.getDigest(day))?.stories.length ?? 0;
    lines.push(`  ${day}: ${stories} stor${stories === 1 ? 'y' : 'ies'}`);
  }
  lines.push(`Digests:  ${join(outputDir, 'digests')}/`);
  lines.push(`Articles: ${join(outputDir, 'articles.jsonl')}`);
  lines.push(
    `Email:    ${join(outputDir, 'email')}/<day>.{html,txt,eml} (${emailDays.length} rendered in this run)`,
  );
  lines.push(
    `Site:     ${site.siteDir}/ (index.html, <day>.html, feed.xml, feed.json; ${published.written.length} file(s) written; npm run serve shows it)`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
  if (count('failed') > 0) process.exitCode = 1;
}

async function runSummarise(argv: string[]): Promise<void> {
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
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT')
      throw new UsageError(`No such file: ${file}. Pass the path of one article file.`);
    if (error.code === 'EISDIR') {
      throw new UsageError(
        `${file} is a folder. Pass one article file, or digest a folder with npm run digest -- --in ${file}.`,
      );
    }
    throw error;
  });
  const article = await extractArticle({ key: basename(file), bytes, arrivedAt: new Date() });
  for (const sentence of summariseArticle(article.title, article.text, sentences)) {
    process.stdout.write(`${sentence}\n`);
  }
}

/**
 * The local send, against out/: without --date, the hourly send as the Lambda runs it at --now (default
 * now): each active reader whose local hour has come gets their daily or weekly edition, suppressed and
 * pending readers nothing. With --date, that day goes to every active reader.
 */
async function runSend(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { out: { type: 'string' }, date: { type: 'string' }, now: { type: 'string' } },
    strict: true,
  });
  const outputDir = resolve(values.out ?? DEFAULT_OUTPUT_DIR);
  if (values.date !== undefined && !isCalendarDay(values.date)) {
    throw new UsageError(
      `--date must be a day written YYYY-MM-DD, such as 2022-02-28, not "${values.date}".`,
    );
  }
  const now = parseNow(values.now) ?? new Date();
  const pause = new FsSendingPause(outputDir);
  const deps = {
    store: new FsDigestStore(outputDir),
    subscribers: new FsSubscriberStore(outputDir),
    ledger: new FsSendLedger(outputDir),
    mailer: new OutboxMailer(join(outputDir, 'outbox')),
    config: await localBriefingConfig(),
    render: mjmlRenderer(await loadTemplates()),
    unsubscribeSecret: LOCAL_UNSUBSCRIBE_SECRET,
    pause,
    readerDefaults: { timeZone: DEFAULTS.scheduleTimeZone, hour: DEFAULTS.scheduleHour },
  };
  const outbox = `Outbox: ${join(outputDir, 'outbox')}/`;
  const line = (report: SendReport) =>
    `Briefing ${report.day}: sent ${report.sent}, already sent ${report.skipped}, suppressed ${report.suppressed ?? 0}, failed ${report.failed}.`;
  const reports: SendReport[] = [];
  if (values.date) {
    reports.push(await sendBriefing({ day: values.date, now }, deps));
  } else {
    const due = await sendDueBriefings(now, deps);
    reports.push(...due.editions);
    if (!due.paused) {
      process.stdout.write(
        `${due.editions.length === 0 ? 'No reader is due' : `${due.editions.length} edition(s) due`} at ${now.toISOString()}; ${due.notDue} reader(s) not due yet.\n`,
      );
    }
  }
  const paused = reports.find((r) => r.paused)?.paused ?? (await pause.pausedBecause());
  if (paused) {
    process.stdout.write(
      `Sending is paused: ${paused}. Nothing was sent. Resume by deleting ${displayPath(pause.location)}.\n`,
    );
    return;
  }
  for (const report of reports) process.stdout.write(`${report.day ? line(report) : 'No digest to send.'}\n`);
  process.stdout.write(`${outbox}\n`);
  if (reports.some((r) => r.failed > 0)) process.exitCode = 1;
}

/**
 * Applies one SES event (a JSON file in the documented event-publishing shape) to the local subscriber
 * list: the feedback function's logic, for a local run or to replay an event by hand.
 */
async function runFeedback(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { out: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const file = positionals[0];
  if (file === undefined || positionals.length > 1) {
    throw new UsageError('Usage: npx tsx functions/cli.ts feedback <event.json> [--out DIR]');
  }
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(
      `Cannot read the SES event ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}.`,
    );
  });
  let event: FeedbackEvent;
  try {
    event = parseSesEvent(sesEventOfMessage(text));
  } catch (error) {
    throw new UsageError(`${(error as Error).message} Nothing was changed.`);
  }
  const store = new FsSubscriberStore(resolve(values.out ?? DEFAULT_OUTPUT_DIR));
  const report = await applyFeedback(event, store);
  const changes = report.statuses.length > 0 ? ` (now: ${report.statuses.join(', ')})` : '';
  process.stdout.write(
    `${report.eventType}: ${report.applied} subscriber record(s) updated${changes}, ${report.notOnList} address(es) not on the list, in ${displayPath(store.location)}.\n`,
  );
}

async function runPreviewCommand(argv: string[]): Promise<void> {
  const { runPreview } = await import('./preview.ts');
  await runPreview(argv);
}

async function runServeCommand(argv: string[]): Promise<void> {
  const { runServe } = await import('./serve.ts');
  await runServe(argv, LOCAL_UNSUBSCRIBE_SECRET);
}

const COMMANDS: Record<string, (argv: string[]) => Promise<void>> = {
  serve: runServeCommand,
  digest: runDigest,
  summarise: runSummarise,
  // The npm script of DESIGN.md §3 spells it with a z; the code spells it with an s.
  summarize: runSummarise,
  send: runSend,
  feedback: runFeedback,
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
