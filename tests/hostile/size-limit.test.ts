/**
 * The input size limit (MAX_INPUT_BYTES, functions/core/limits.ts): a 50 MB text file is quarantined as
 * `too-large` without being read into memory. The filesystem source must decide from `stat` alone;
 * `readFile` is wrapped in a spy to prove it is never called for the oversized file.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return { ...actual, default: actual, readFile: vi.fn(actual.readFile), stat: vi.fn(actual.stat) };
});

const fsPromises = await import('node:fs/promises');
const { FsArticleSource, FsDigestStore } = await import('../../functions/adapters/fs-store.ts');
const { ingestBatch } = await import('../../functions/app/ingest-batch.ts');
const { MAX_INPUT_BYTES } = await import('../../functions/core/limits.ts');
const { generatedArticle } = await import('./articles.ts');

const FIFTY_MB = 50 * 1024 * 1024;
const root = mkdtempSync(join(tmpdir(), 'hostile-size-'));
const inDir = join(root, 'in');
const outDir = join(root, 'out');

beforeAll(() => {
  mkdirSync(inDir, { recursive: true });
  // Real text, not a sparse file: a reader that ignored the limit would really pull in 50 MB.
  const line = Buffer.from(`${generatedArticle(9600).body.replace(/\n+/g, ' ')}\n`);
  const big = Buffer.alloc(FIFTY_MB);
  for (let offset = 0; offset < FIFTY_MB; offset += line.length) line.copy(big, offset);
  writeFileSync(join(inDir, 'huge.txt'), big);
  // One byte over the limit is refused too; the limit itself is inclusive.
  writeFileSync(join(inDir, 'just-over.txt'), big.subarray(0, MAX_INPUT_BYTES + 1));
  writeFileSync(join(inDir, 'good.txt'), generatedArticle(9601).text);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('input size limit', () => {
  it('is the documented 10 MB', () => {
    expect(MAX_INPUT_BYTES).toBe(10 * 1024 * 1024);
  });

  it('quarantines files above the limit as too-large after a stat, never reading them, and ingests the rest', async () => {
    const readFile = vi.mocked(fsPromises.readFile);
    const stat = vi.mocked(fsPromises.stat);
    readFile.mockClear();
    stat.mockClear();
    const report = await ingestBatch(
      ['huge.txt', 'just-over.txt', 'good.txt'].map((key) => ({
        key,
        arrivedAt: new Date('2022-03-20T08:00:00Z'),
      })),
      { source: new FsArticleSource(inDir), store: new FsDigestStore(outDir) },
    );
    expect(Object.fromEntries(report.files.map((f) => [f.key, f.outcome.kind]))).toEqual({
      'huge.txt': 'rejected',
      'just-over.txt': 'rejected',
      'good.txt': 'story',
    });
    for (const key of ['huge.txt', 'just-over.txt']) {
      const outcome = report.files.find((f) => f.key === key)?.outcome;
      expect(outcome?.kind === 'rejected' && outcome.reason).toMatch(/^too-large: .*10485760 bytes/);
      expect(stat.mock.calls.map((call) => String(call[0]))).toContain(join(inDir, key));
      expect(readFile.mock.calls.map((call) => String(call[0]))).not.toContain(join(inDir, key));
      const quarantined = JSON.parse(readFileSync(join(outDir, 'quarantine', `${key}.json`), 'utf8')) as {
        reason: string;
        size: number | null;
      };
      expect(quarantined.reason).toMatch(/^too-large/);
      expect(quarantined.size).toBeNull(); // the bytes never reached the pipeline
    }
    expect(readFile.mock.calls.map((call) => String(call[0]))).toContain(join(inDir, 'good.txt'));
  });
});
