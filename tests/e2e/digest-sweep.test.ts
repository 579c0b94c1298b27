/**
 * `npm run digest` deletes the index items whose active days are over from the local item store (the
 * stand-in for DynamoDB's TTL), and keeps everything else.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteItemStore } from '../../functions/adapters/sqlite-item-store.ts';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');

let work: string;
let rows: { partition: string; sort: string }[];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'digest-sweep-'));
  const out = join(work, 'out');
  const store = new SqliteItemStore(join(out, 'state', 'items.sqlite'));
  const past = Math.floor(Date.now() / 1000) - 60;
  const future = past + 86_400;
  await store.put({
    key: { partition: 'band#1', sort: 'a1' },
    value: { at: 1 },
    expectedVersion: 'any',
    expiresAt: past,
  });
  await store.put({
    key: { partition: 'band#2', sort: 'a2' },
    value: { at: 2 },
    expectedVersion: 'any',
    expiresAt: future,
  });
  await store.addCounts({ partition: 'dayrev#2022-01-03', sort: '' }, { revision: 1 });
  store.close();
  mkdirSync(join(work, 'empty'));
  await run(
    process.execPath,
    ['--import', 'tsx', 'functions/cli.ts', 'digest', '--in', join(work, 'empty'), '--out', out, '--quiet'],
    { cwd: ROOT },
  );
  const db = new DatabaseSync(join(out, 'state', 'items.sqlite'), { readOnly: true });
  rows = db.prepare('SELECT partition, sort FROM items ORDER BY partition, sort').all() as typeof rows;
  db.close();
}, 60_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm run digest on a store holding expired index items', () => {
  it('deletes the expired ones and keeps the live ones and the items that never expire', () => {
    const keys = rows.map((r) => `${r.partition}/${r.sort}`);
    expect(keys).not.toContain('band#1/a1');
    expect(keys).toContain('band#2/a2');
    expect(keys).toContain('dayrev#2022-01-03/');
  });
});
