/**
 * An out/ written by an earlier version keeps its engine in state/newsroom.json: the next
 * `npm run digest` moves it into the item store once, keeps every output as it was, and goes on from it.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsArticleSource, FsDigestStore } from '../../functions/adapters/fs-store.ts';
import { ingestBatch } from '../../functions/app/ingest-batch.ts';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
const NOW = '2026-11-22T08:00:00Z';
const SEEDS = readdirSync(join(ROOT, 'seeds')).sort();

function outputs(out: string): Record<string, string> {
  const files: Record<string, string> = {
    'articles.jsonl': readFileSync(join(out, 'articles.jsonl'), 'utf8'),
  };
  for (const name of readdirSync(join(out, 'digests')))
    files[`digests/${name}`] = readFileSync(join(out, 'digests', name), 'utf8');
  return files;
}

let work: string;
let out: string;
let before: Record<string, string>;
let migration: { stdout: string; stderr: string };

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'digest-migration-'));
  const input = join(work, 'in');
  out = join(work, 'out');
  mkdirSync(input);
  for (const name of SEEDS.slice(0, 4)) cpSync(join(ROOT, 'seeds', name), join(input, name));
  // The whole-state path of earlier versions writes state/newsroom.json.
  await ingestBatch(
    SEEDS.slice(0, 4).map((key) => ({ key, arrivedAt: new Date(NOW) })),
    { source: new FsArticleSource(input), store: new FsDigestStore(out) },
  );
  before = outputs(out);
  mkdirSync(join(work, 'empty'));
  migration = await run(
    process.execPath,
    [
      '--import',
      'tsx',
      'functions/cli.ts',
      'digest',
      '--in',
      join(work, 'empty'),
      '--out',
      out,
      '--now',
      NOW,
    ],
    { cwd: ROOT },
  );
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm run digest on an out/ of an earlier version', () => {
  it('moves state/newsroom.json into the item store once and says where the old file went', () => {
    expect(existsSync(join(out, 'state', 'newsroom.json'))).toBe(false);
    expect(existsSync(join(out, 'state', 'newsroom.json.migrated'))).toBe(true);
    expect(existsSync(join(out, 'state', 'items.sqlite'))).toBe(true);
    expect(migration.stderr).toMatch(/newsroom\.json\.migrated and may be deleted/);
  });

  it('keeps the records and digests exactly as they were', () => {
    expect(outputs(out)).toEqual(before);
  });

  it('goes on from the migrated state: a reprint of a migrated article is its duplicate', async () => {
    const input = join(work, 'later');
    mkdirSync(input);
    cpSync(join(ROOT, 'seeds', SEEDS[4] as string), join(input, SEEDS[4] as string));
    cpSync(join(ROOT, 'seeds', SEEDS[0] as string), join(input, 'reprint.txt'));
    const later = await run(
      process.execPath,
      ['--import', 'tsx', 'functions/cli.ts', 'digest', '--in', input, '--out', out, '--now', NOW],
      { cwd: ROOT },
    );
    expect(later.stderr).not.toMatch(/newsroom/);
    const records = readFileSync(join(out, 'articles.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { source: string; duplicateOf: string | null });
    expect(records.map((r) => r.source)).toEqual([...SEEDS.slice(0, 5), 'reprint.txt']);
    expect(records.at(-1)?.duplicateOf).toBe(SEEDS[0]);
  });
});
