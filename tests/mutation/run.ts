/**
 * `npm run mutation [-- stryker options]`: runs StrykerJS (stryker.config.json) on the guard modules,
 * then prints one line per module with its mutation score and exits non-zero when any module scores
 * below MIN_SCORE. Extra arguments go to `stryker run`, e.g. `-- --mutate functions/core/address.ts`.
 *
 * `-- --changed-since <git revision>` (CI) mutates only the guard modules changed since that revision,
 * and all of them when the revision is not in the clone.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type MutationReport, moduleScores } from './scores.ts';

/** Issue 21: every guard module must score at least this, in percent. */
export const MIN_SCORE = 90;
const REPORT = 'reports/mutation/mutation.json';

// The package exports only its API, so the CLI is found beside its package.json.
const stryker = join(
  dirname(createRequire(import.meta.url).resolve('@stryker-mutator/core/package.json')),
  'bin/stryker.js',
);

/** The guard modules changed since `revision`, or null when git cannot tell (a shallow clone). */
function changedGuardModules(revision: string): string[] | null {
  const { mutate } = JSON.parse(readFileSync('stryker.config.json', 'utf8')) as { mutate: string[] };
  const diff = spawnSync('git', ['diff', '--name-only', revision, '--', ...mutate], { encoding: 'utf8' });
  if (diff.status !== 0) return null;
  return diff.stdout.split('\n').filter(Boolean);
}

const args = process.argv.slice(2);
const since = args.indexOf('--changed-since');
if (since >= 0) {
  const revision = args[since + 1] ?? 'HEAD~1';
  args.splice(since, 2);
  const changed = changedGuardModules(revision);
  if (changed === null) {
    console.log(`mutation: cannot diff against ${revision}; mutating every guard module.`);
  } else if (changed.length === 0) {
    console.log(`mutation: no guard module changed since ${revision}; nothing to mutate.`);
    process.exit(0);
  } else {
    console.log(`mutation: guard modules changed since ${revision}: ${changed.join(', ')}`);
    args.push('--mutate', changed.join(','));
  }
}

const run = spawnSync(process.execPath, [stryker, 'run', ...args], { stdio: 'inherit' });
if (run.status !== 0) {
  console.error(`mutation: stryker run failed (exit ${run.status ?? run.signal}); no scores.`);
  process.exit(1);
}

const scores = moduleScores(JSON.parse(readFileSync(REPORT, 'utf8')) as MutationReport);
let failed = 0;
for (const s of scores) {
  const pass = s.score >= MIN_SCORE;
  if (!pass) failed++;
  console.log(
    `mutation: ${s.file} ${s.score.toFixed(1)}% (${s.detected} of ${s.valid} killed or timed out; ` +
      `${s.survived} survived, ${s.noCoverage} not covered, ${s.ignored} excluded)${pass ? '' : ` BELOW ${MIN_SCORE}%`}`,
  );
}
if (failed > 0) {
  console.error(`mutation: ${failed} module(s) below ${MIN_SCORE}%; report in ${REPORT}`);
  process.exit(1);
}
console.log(`mutation: all ${scores.length} module(s) at or above ${MIN_SCORE}%; report in ${REPORT}`);
