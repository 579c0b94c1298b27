/**
 * Starting a preparation worker: the TypeScript worker entry is bundled once per process with esbuild
 * into one ES module in the temp directory, so a worker needs no TypeScript loader; when it cannot be
 * bundled, the worker registers tsx itself. Shared by the pool and the time-boxed preparer.
 */
import { createHash, randomUUID } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** The preparation worker's TypeScript entry; a pool or a time-boxed preparer starts it from its bundle. */
export const WORKER_ENTRY = new URL('./prepare-worker.ts', import.meta.url);

/**
 * A worker's young generation, in MB (V8's default is 16 MB per semi-space): a worker keeps nothing from
 * one file to the next, so its objects die young in a small nursery as well.
 */
const WORKER_YOUNG_GENERATION_MB = 8;

export type ResourceLimits = NonNullable<ConstructorParameters<typeof Worker>[1]>['resourceLimits'];

export const WORKER_RESOURCE_LIMITS: ResourceLimits = {
  maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB,
};

/** How a worker was started: from the esbuild bundle, under tsx (no bundle), or a JavaScript entry as is. */
export type WorkerStart = 'bundle' | 'tsx' | 'js';

/**
 * Where bundles are written: the OS temp directory, one file per distinct bundle, named by a hash of
 * its content. Processes running the same code share the file, and a process running other code (an
 * edit, another checkout) gets its own, so a worker never starts from another version's bundle.
 */
const BUNDLE_FILE_PREFIX = 'news-digest-prepare-worker-';

/** Hex digits of the bundle's SHA-256 in its file name: 64 bits, no collision between versions in practice. */
const BUNDLE_HASH_DIGITS = 16;

/** The Node.js the bundle runs on: this project's (package.json engines), so nothing is down-levelled. */
const BUNDLE_TARGET = 'node24';

/**
 * Prepended to the bundle. Some bundled packages are CommonJS (parts of linkedom, htmlparser2 and its
 * helpers) and call `require`, which an ES module lacks; it is defined from the bundle's own URL. Only
 * Node built-ins and linkedom's optional `canvas` (which it does without) are required at run time.
 */
const BUNDLE_REQUIRE_BANNER =
  'import{createRequire as __nd_createRequire}from"node:module";const require=__nd_createRequire(import.meta.url);';

/** Bundles by entry URL: each entry is bundled once per process, however many pools and workers start. */
const bundles = new Map<string, Promise<URL>>();

/**
 * Bundles the TypeScript worker entry `entry` and everything it imports into one ES module file and
 * returns that file's URL, so a worker starts without a TypeScript loader (less memory and CPU; see the
 * README's measurements). Rejects when esbuild cannot be loaded (it is a devDependency) or the build
 * fails; the pool then starts workers under tsx. Bundles of earlier versions stay in the temp directory
 * until the OS clears it.
 */
export function bundleWorkerEntry(entry: URL): Promise<URL> {
  let bundle = bundles.get(entry.href);
  if (bundle === undefined) {
    bundle = buildWorkerBundle(entry);
    bundles.set(entry.href, bundle);
  }
  return bundle;
}

async function buildWorkerBundle(entry: URL): Promise<URL> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [fileURLToPath(entry)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: BUNDLE_TARGET,
    banner: { js: BUNDLE_REQUIRE_BANNER },
    // No keepNames: it wraps every function and class the bundle defines, and HTML extraction (whose
    // parser defines many) ran at half speed. Errors keep their names regardless: core/errors.ts
    // spells each one out.
    write: false,
    // Errors come back in the rejection, which the pool passes on as a warning; nothing is printed.
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error(`esbuild produced no output for ${entry.href}.`);
  const hash = createHash('sha256').update(output.contents).digest('hex').slice(0, BUNDLE_HASH_DIGITS);
  const file = join(tmpdir(), `${BUNDLE_FILE_PREFIX}${hash}.mjs`);
  // Written under a name of its own and renamed into place, so a worker (of this process or of one
  // writing the same bundle concurrently) never reads a half-written file. Always rewritten rather
  // than trusted when present: writing 1 MB once per process costs nothing, and a truncated or
  // foreign file of that name is replaced.
  const temporary = `${file}.${randomUUID()}.tmp`;
  try {
    await writeFile(temporary, output.contents);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return pathToFileURL(file);
}

/**
 * A worker running a TypeScript `entry` without its bundle: the parent's `--import tsx` does not apply
 * to a worker's entry module, so the worker registers tsx's loader itself and then imports the entry,
 * however the parent was started (`tsx cli.ts`, `node --import tsx`, or vitest).
 */
export function spawnUnderTsx(entry: URL, resourceLimits: ResourceLimits): Worker {
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { eval: true, execArgv: [], resourceLimits });
}
