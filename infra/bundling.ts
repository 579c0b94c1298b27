/**
 * How every function is built. Exported so that the cold-start benchmark (issue 6) bundles the handlers
 * with exactly the code the stack deploys: both call `bundleHandler`.
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import type { ILocalBundling } from 'aws-cdk-lib';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { type BuildOptions, buildSync, type Metafile } from 'esbuild';
import {
  HANDLER_ENTRIES,
  HANDLER_NAMES,
  HANDLER_WORKER_ENTRIES,
  REPO_ROOT,
  TEMPLATES_SOURCE_DIR,
} from './paths.ts';

/** Newest Node.js Lambda runtime in aws-cdk-lib 2.276 (cdk-nag AwsSolutions-L1 asks for the latest). */
export const LAMBDA_RUNTIME = Runtime.NODEJS_24_X;

/** Graviton: about 20% cheaper per GB-second than x86 and at least as fast for this CPU-bound text work. */
export const LAMBDA_ARCHITECTURE = Architecture.ARM_64;

/** The bundle's entry file. Lambda's Node.js runtime finds `index.mjs` for the handler `index.handler`. */
export const BUNDLE_ENTRY_FILE = 'index.mjs';

/** Code that only some invocations need (the HTML stack, mjml, SDK credential sources) lands here. */
export const CHUNKS_DIR = 'chunks';

/**
 * Prepended to every output file. Bundled CommonJS packages (mjml and its helpers, parts of linkedom)
 * call `require` for Node built-ins and some read `__filename`/`__dirname`; none of the three exist in
 * an ES module, so they are defined from `import.meta.url`. The `__nd_` prefix cannot collide with
 * esbuild's minified names.
 */
const CJS_SHIM =
  'import{createRequire as __nd_createRequire}from"node:module";' +
  'import{fileURLToPath as __nd_fileURLToPath}from"node:url";' +
  'const require=__nd_createRequire(import.meta.url),' +
  '__filename=__nd_fileURLToPath(import.meta.url),' +
  '__dirname=__nd_fileURLToPath(new URL(".",import.meta.url));';

/**
 * esbuild settings shared by the stack and the benchmark: they aim at less code to parse at cold start
 * (infra/README.md › Bundling says why each one is set).
 */
export const ESBUILD_OPTIONS = {
  bundle: true,
  format: 'esm',
  splitting: true,
  platform: 'node',
  target: 'node24',
  mainFields: ['module', 'main'],
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  entryNames: 'index',
  chunkNames: `${CHUNKS_DIR}/[name]-[hash]`,
  outExtension: { '.js': '.mjs' },
  banner: { js: CJS_SHIM },
  // cosmiconfig (pulled in by mjml's HTML minifier) requires TypeScript only to read a *.ts config file,
  // which the send function never has; bundling it would add 3.5 MB to the send bundle.
  external: ['typescript'],
} as const satisfies BuildOptions;

/**
 * Bundles one handler into `outdir` (index.mjs, chunks/, source maps), plus each worker-thread entry
 * it starts as one self-contained file beside it (HANDLER_WORKER_ENTRIES), and returns esbuild's
 * metafile of the handler. Synchronous because CDK's local bundling hook is.
 */
export function bundleHandler(entry: string, outdir: string): Metafile {
  const name = HANDLER_NAMES.find((handler) => HANDLER_ENTRIES[handler] === entry);
  for (const [file, workerEntry] of Object.entries((name && HANDLER_WORKER_ENTRIES[name]) ?? {})) {
    buildSync({
      ...ESBUILD_OPTIONS,
      mainFields: [...ESBUILD_OPTIONS.mainFields],
      external: [...ESBUILD_OPTIONS.external],
      // A worker starts from one file: its lazy imports are inlined rather than split into chunks.
      splitting: false,
      entryNames: undefined,
      chunkNames: undefined,
      outExtension: undefined,
      entryPoints: [workerEntry],
      outfile: join(outdir, file),
      absWorkingDir: REPO_ROOT,
      logLevel: 'warning',
    });
  }
  const result = buildSync({
    ...ESBUILD_OPTIONS,
    mainFields: [...ESBUILD_OPTIONS.mainFields],
    external: [...ESBUILD_OPTIONS.external],
    entryPoints: [entry],
    outdir,
    absWorkingDir: REPO_ROOT,
    metafile: true,
    logLevel: 'warning',
  });
  return result.metafile;
}

/**
 * Output files reachable from `entry` through static imports: what Lambda reads and evaluates at init.
 * Chunks reached only through `await import()` are left out: they load on first use.
 */
export function staticClosure(outputs: Metafile['outputs'], entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const i of outputs[file]?.imports ?? [])
      if (i.kind === 'import-statement' && !i.external) visit(i.path);
  };
  visit(entry);
  return seen;
}

/**
 * CDK's local bundling hook for one function: bundles `entry` and, with `withTemplates`, copies
 * templates/ beside it (the send functions render MJML at run time). The two fields are public data on
 * purpose: CDK keys its in-process asset cache on the JSON of the bundling options, which drops
 * functions, so without them every function of the stack would be given the first one's bundle.
 */
export class LocalFunctionBundler implements ILocalBundling {
  constructor(
    readonly entry: string,
    readonly withTemplates: boolean,
  ) {}

  tryBundle(outputDir: string): boolean {
    bundleHandler(this.entry, outputDir);
    if (this.withTemplates) cpSync(TEMPLATES_SOURCE_DIR, join(outputDir, 'templates'), { recursive: true });
    return true;
  }
}
