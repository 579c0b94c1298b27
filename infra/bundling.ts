/**
 * How every function is built. Exported so that the cold-start benchmark (issue 6) bundles the handlers
 * with exactly the options the stack deploys.
 */
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';

/** Newest Node.js Lambda runtime in aws-cdk-lib 2.276 (cdk-nag AwsSolutions-L1 asks for the latest). */
export const LAMBDA_RUNTIME = Runtime.NODEJS_24_X;

/** Graviton: about 20% cheaper per GB-second than x86 and at least as fast for this CPU-bound text work. */
export const LAMBDA_ARCHITECTURE = Architecture.ARM_64;

/**
 * esbuild settings shared by the stack and the benchmark.
 * - CJS: mjml (send) does not bundle as ESM without a createRequire banner; CJS works for every handler.
 *   Consequence for handler code: no top-level await, and no import.meta.url (use TEMPLATES_DIR).
 * - target node22: the oldest runtime the bundle must run on (it also runs on the Node 20 used for the
 *   local benchmark); language features above that are not needed.
 * - Source maps ship without the sources' text (a quarter of the size) and are NOT enabled at run time:
 *   NODE_OPTIONS=--enable-source-maps parses the map at load and measurably lengthens cold starts. Set it on
 *   a function temporarily when a stack trace needs decoding, or decode offline with the .map file.
 * - The AWS SDK is bundled, not left to the runtime's copy: tree-shaken and minified into one file it
 *   loads faster than the runtime's many-file SDK (measured with `npm run bench -- --only cold-start`:
 *   the unsubscribe handler's require took about half as long), and the deployed code runs the exact
 *   SDK version the tests ran.
 */
export const ESBUILD_OPTIONS = {
  format: 'cjs',
  platform: 'node',
  target: 'node22',
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  // cosmiconfig (pulled in by mjml's HTML minifier) requires TypeScript only to read a *.ts config file,
  // which the send function never has; bundling it would add 3.5 MB to every cold start.
  external: ['typescript'] as string[],
} as const;

/** The same settings in NodejsFunction's vocabulary. `commandHooks` are added per function. */
export const NODEJS_BUNDLING: BundlingOptions = {
  format: OutputFormat.CJS,
  target: ESBUILD_OPTIONS.target,
  minify: ESBUILD_OPTIONS.minify,
  sourceMap: ESBUILD_OPTIONS.sourcemap,
  sourcesContent: ESBUILD_OPTIONS.sourcesContent,
  externalModules: [...ESBUILD_OPTIONS.external],
  // Bundle with the esbuild in devDependencies: offline, no Docker, same version as the benchmark.
  forceDockerBundling: false,
};
