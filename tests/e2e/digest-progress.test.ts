/**
 * Progress on long runs: `npm run digest` over more than PROGRESS_MIN_FILES files prints one plain line
 * per tenth of the files on stderr when stderr is not a terminal, and nothing with --quiet; stdout (the
 * final summary) is the same either way.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROGRESS_MIN_FILES } from '../../functions/adapters/progress.ts';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
const FILES = PROGRESS_MIN_FILES + 20;
const PLAIN_LINE =
  /^news-digest: (\d+)\/(\d+) files \((\d+)%\), \d+ files\/s, ETA (?:\d+ s|\d+ min \d+ s|unknown)$/;

let workDir: string;
let inputDir: string;

async function digest(outputDir: string, ...extra: string[]) {
  return run(
    process.execPath,
    [
      '--import',
      'tsx',
      'functions/cli.ts',
      'digest',
      '--in',
      inputDir,
      '--out',
      outputDir,
      '--workers',
      '0',
      ...extra,
    ],
    { cwd: ROOT },
  );
}

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'news-digest-progress-'));
  inputDir = join(workDir, 'in');
  mkdirSync(inputDir);
  for (let i = 0; i < FILES; i++) {
    writeFileSync(
      join(inputDir, `${String(i).padStart(4, '0')}.txt`),
      `Council ${i} approves its budget\n\nThe council of district ${i} approved its budget on Monday after a long debate about roads.\n`,
    );
  }
});

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('digest progress', () => {
  let plain: { stdout: string; stderr: string };
  let quiet: { stdout: string; stderr: string };

  beforeAll(async () => {
    plain = await digest(join(workDir, 'plain'), '--now', '2026-11-22T08:00:00Z');
    quiet = await digest(join(workDir, 'quiet'), '--now', '2026-11-22T08:00:00Z', '--quiet');
  }, 180_000);

  it('prints one plain line per tenth of the files when stderr is not a terminal', () => {
    const lines = plain.stderr.trim().split('\n');
    expect(lines).toHaveLength(10);
    for (const line of lines) expect(line).toMatch(PLAIN_LINE);
    const done = lines.map((line) => Number(PLAIN_LINE.exec(line)?.[1]));
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(lines.at(-1)).toMatch(new RegExp(`^news-digest: ${FILES}/${FILES} files \\(100%\\)`));
  });

  it('prints nothing with --quiet, and the summary on stdout is the same', () => {
    expect(quiet.stderr).toBe('');
    const summary = (stdout: string) =>
      stdout.replaceAll(join(workDir, 'plain'), 'OUT').replaceAll(join(workDir, 'quiet'), 'OUT');
    expect(summary(quiet.stdout)).toBe(summary(plain.stdout));
    expect(plain.stdout).toMatch(new RegExp(`^Processed ${FILES} file\\(s\\)`));
  });
});
