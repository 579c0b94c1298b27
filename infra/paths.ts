/** Where the stack finds the code it deploys. Resolved from this file, so `cdk` works from any directory. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLE_FILES } from '../functions/contracts.ts';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** MJML templates, copied next to the send functions' bundles (see TEMPLATES_DIR_IN_LAMBDA). */
export const TEMPLATES_SOURCE_DIR = join(REPO_ROOT, 'templates');

/** Where the copied templates live inside the Lambda (the bundle is unpacked at /var/task). */
export const TEMPLATES_DIR_IN_LAMBDA = '/var/task/templates';

export type HandlerName =
  | 'ingest'
  | 'send'
  | 'send-worker'
  | 'unsubscribe'
  | 'publish'
  | 'reader'
  | 'feedback'
  | 'reputation-guard'
  | 'digest-builder';

export const HANDLER_NAMES: readonly HandlerName[] = [
  'ingest',
  'send',
  'send-worker',
  'unsubscribe',
  'publish',
  'reader',
  'feedback',
  'reputation-guard',
  'digest-builder',
];

/** Entry file of each handler; every one exports `handler`. */
export type HandlerEntries = Readonly<Record<HandlerName, string>>;

export const HANDLER_ENTRIES: HandlerEntries = {
  ingest: join(REPO_ROOT, 'functions', 'handlers', 'ingest.ts'),
  send: join(REPO_ROOT, 'functions', 'handlers', 'send.ts'),
  'send-worker': join(REPO_ROOT, 'functions', 'handlers', 'send-worker.ts'),
  unsubscribe: join(REPO_ROOT, 'functions', 'handlers', 'unsubscribe.ts'),
  publish: join(REPO_ROOT, 'functions', 'handlers', 'publish.ts'),
  reader: join(REPO_ROOT, 'functions', 'handlers', 'reader.ts'),
  feedback: join(REPO_ROOT, 'functions', 'handlers', 'feedback.ts'),
  'reputation-guard': join(REPO_ROOT, 'functions', 'handlers', 'reputation-guard.ts'),
  'digest-builder': join(REPO_ROOT, 'functions', 'handlers', 'digest-builder.ts'),
};

/**
 * Worker-thread entries a handler starts, each bundled beside its index.mjs under the name the handler
 * looks for: the ingest function extracts every file on a time-boxed worker (time-boxed-preparer.ts).
 */
export const HANDLER_WORKER_ENTRIES: Readonly<
  Partial<Record<HandlerName, Readonly<Record<string, string>>>>
> = {
  ingest: { [BUNDLE_FILES.prepareWorker]: join(REPO_ROOT, 'functions', 'adapters', 'prepare-worker.ts') },
};

/** Entry files that do not exist yet (the stack refuses a missing entry, even when bundling is skipped). */
export function missingHandlerEntries(entries: HandlerEntries = HANDLER_ENTRIES): string[] {
  return HANDLER_NAMES.map((name) => entries[name]).filter((file) => !existsSync(file));
}
