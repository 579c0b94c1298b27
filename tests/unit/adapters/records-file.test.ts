import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RecordsFile } from '../../../functions/adapters/records-file.ts';

let folder: string;
let path: string;
let offsets: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'records-'));
  path = join(folder, 'articles.jsonl');
  offsets = join(folder, 'state', 'articles.offsets');
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

const record = (seq: number, storyId = `s${seq}`) => ({
  source: `f${seq}.txt`,
  storyId,
  text: 'é'.repeat(seq),
});
const lines = () =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

describe('RecordsFile', () => {
  it('appends new records as JSON lines, in position order', async () => {
    const file = new RecordsFile(path, offsets);
    await file.update([1, 0, 2].map((seq) => ({ seq, record: record(seq) })));
    await file.update([{ seq: 3, record: record(3) }]);
    expect(lines()).toEqual([0, 1, 2, 3].map((seq) => record(seq)));
    expect(readFileSync(path, 'utf8').endsWith('\n')).toBe(true);
  });

  it('changes a line in place and leaves the lines before it on disk untouched', async () => {
    const file = new RecordsFile(path, offsets);
    await file.update([0, 1, 2, 3].map((seq) => ({ seq, record: record(seq) })));
    // Mark line 0 on disk with a same-length edit: an update that rewrote it would undo the mark.
    writeFileSync(path, readFileSync(path, 'utf8').replace('"s0"', '"m0"'));
    await file.update([
      { seq: 2, record: record(2, 'merged-into-s1') },
      { seq: 4, record: record(4) },
    ]);
    expect(lines()).toEqual([record(0, 'm0'), record(1), record(2, 'merged-into-s1'), record(3), record(4)]);
  });

  it('refuses a gap (a record that would be missing) and leaves the file as it was', async () => {
    const file = new RecordsFile(path, offsets);
    await file.update([{ seq: 0, record: record(0) }]);
    const before = readFileSync(path, 'utf8');
    await expect(file.update([{ seq: 2, record: record(2) }])).rejects.toThrow(/Record 1 is missing/);
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('rebuilds its offsets from the file when they are lost or disagree, and drops a torn last line', async () => {
    const file = new RecordsFile(path, offsets);
    await file.update([0, 1].map((seq) => ({ seq, record: record(seq) })));
    rmSync(offsets);
    await file.update([{ seq: 1, record: record(1, 'changed') }]);
    writeFileSync(path, `${readFileSync(path, 'utf8')}{"source":"torn`);
    await file.update([{ seq: 2, record: record(2) }]);
    expect(lines()).toEqual([record(0), record(1, 'changed'), record(2)]);
  });
});
