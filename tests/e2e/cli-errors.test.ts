/**
 * A mistake on the command line gets one line saying what is wrong and what to do, and exit code 2,
 * never a stack trace.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const folder = mkdtempSync(join(tmpdir(), 'cli-errors-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'functions/cli.ts', ...args],
      { cwd: ROOT },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('npm run summarize', () => {
  it('names a missing file in one line', async () => {
    const missing = join(folder, 'no-such-article.txt');
    const run = await cli(['summarize', missing]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`news-digest: No such file: ${missing}. Pass the path of one article file.\n`);
  });

  it('says a folder is not a file, in one line', async () => {
    const run = await cli(['summarize', folder]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining(`${folder} is a folder`)]);
  });
});

describe('npm run send -- --date', () => {
  it.each(['../../etc/passwd', '2022-2-28', '2022-02-30', '2022-02-28/../x'])(
    'refuses %s in one line, before reading anything',
    async (date) => {
      const run = await cli(['send', '--out', folder, '--date', date]);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(
        `news-digest: --date must be a day written YYYY-MM-DD, such as 2022-02-28, not "${date}".\n`,
      );
    },
  );
});
