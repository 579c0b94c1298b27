/**
 * The input size limit (MAX_INPUT_BYTES, functions/core/limits.ts): a 50 MB text file is quarantined as
 * `too-large` without being read into memory. The filesystem source must decide from `stat` alone;
 * `openSync` and `readSync` are wrapped in spies to prove that no byte of an oversized file is read:
 * the size is checked with `fstat` on the open descriptor, and `readSync` never sees that descriptor.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  return {
    ...actual,
    default: actual,
    openSync: vi.fn(actual.openSync),
    fstatSync: vi.fn(actual.fstatSync),
    readSync: vi.fn(actual.readSync),
    closeSync: vi.fn(actual.closeSync),
  };
});

const fs = await import('node:fs');
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
    const openSync = vi.mocked(fs.openSync);
    const fstatSync = vi.mocked(fs.fstatSync);
    const readSync = vi.mocked(fs.readSync);
    const closeSync = vi.mocked(fs.closeSync);
    for (const spy of [openSync, fstatSync, readSync, closeSync]) spy.mockClear();
    /**
     * Each opening of a file: its descriptor and the call-order window until that descriptor was
     * closed (descriptors are reused after a close, so a read counts only inside its file's window).
     */
    const openingsOf = (key: string) =>
      openSync.mock.calls.flatMap((call, i) => {
        if (String(call[0]) !== join(inDir, key)) return [];
        const fd = openSync.mock.results[i]?.value as number;
        const opened = openSync.mock.invocationCallOrder[i]!;
        const closed = closeSync.mock.calls
          .map((c, j) => ({ fd: c[0], order: closeSync.mock.invocationCallOrder[j]! }))
          .filter((c) => c.fd === fd && c.order > opened)
          .reduce((min, c) => Math.min(min, c.order), Number.POSITIVE_INFINITY);
        return [{ fd, opened, closed }];
      });
    const readsDuring = ({ fd, opened, closed }: { fd: number; opened: number; closed: number }) =>
      readSync.mock.calls.filter((c, j) => {
        const order = readSync.mock.invocationCallOrder[j]!;
        return c[0] === fd && order > opened && order < closed;
      }).length;
    const fstatsDuring = ({ fd, opened, closed }: { fd: number; opened: number; closed: number }) =>
      fstatSync.mock.calls.filter((c, j) => {
        const order = fstatSync.mock.invocationCallOrder[j]!;
        return c[0] === fd && order > opened && order < closed;
      }).length;
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
      const openings = openingsOf(key);
      expect(openings).toHaveLength(1);
      expect(openings[0]!.closed).toBeLessThan(Number.POSITIVE_INFINITY);
      expect(fstatsDuring(openings[0]!)).toBe(1);
      expect(readsDuring(openings[0]!)).toBe(0);
      const quarantined = JSON.parse(readFileSync(join(outDir, 'quarantine', `${key}.json`), 'utf8')) as {
        reason: string;
        size: number | null;
      };
      expect(quarantined.reason).toMatch(/^too-large/);
      expect(quarantined.size).toBeNull(); // the bytes never reached the pipeline
    }
    // The spies do see reads: the good file's descriptor was read from.
    expect(readsDuring(openingsOf('good.txt')[0]!)).toBeGreaterThan(0);
  });
});
