/** What the command line's commands share: the usage error, the default output folder, paths as typed. */
import { isAbsolute, relative } from 'node:path';
import { NewsDigestError } from './core/errors.ts';

/** The local store and outputs when `--out` is not given. */
export const DEFAULT_OUTPUT_DIR = 'out';

/** A mistake in how a command was called: reported without a stack trace. */
export class UsageError extends NewsDigestError {
  override name = 'UsageError';
}

/** A path as the operator typed it: relative when it is below the working folder. */
export function displayPath(path: string): string {
  const below = relative(process.cwd(), path);
  return below === '' || below.startsWith('..') || isAbsolute(below) ? path : below;
}
