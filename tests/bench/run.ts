/**
 * `npm run bench [-- --only e2e-text-1k,cold-start] [--data ../shared/eval]`
 *
 * Prints each benchmark figure as one JSON line. Every scenario runs in a fresh process, so its peak
 * RSS is its own. Figures are measurements, not pass/fail checks: nothing here fails on a slow machine.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SCENARIOS } from './scenarios.ts';

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { only: { type: 'string' }, data: { type: 'string' } },
  strict: true,
});
const dataDir = resolve(values.data ?? '../shared/eval');
const selected = values.only ? values.only.split(',') : Object.keys(SCENARIOS);
let failed = false;
for (const name of selected) {
  const result = spawnSync(
    process.execPath,
    [
      // The young generation `npm run digest` runs with (package.json), so the figures are the CLI's.
      '--max-semi-space-size=16',
      '--import',
      'tsx',
      join(import.meta.dirname, 'scenario.ts'),
      name,
      existsSync(dataDir) ? dataDir : '-',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 },
  );
  process.stdout.write(result.stdout);
  if (result.status !== 0) {
    failed = true;
    process.stdout.write(`${JSON.stringify({ bench: name, error: `exited with ${result.status}` })}\n`);
  }
}
if (failed) process.exitCode = 1;
