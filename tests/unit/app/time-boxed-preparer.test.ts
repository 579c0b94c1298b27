/**
 * The per-file time budget (issue 18.1): a page the depth guard lets through but that takes minutes
 * to extract is refused as too-slow, with its bytes kept for the quarantine, and the files after it
 * are prepared as the in-process preparer would prepare them. Over a batch, the slow file is
 * quarantined with its reason and the rest of the batch goes on.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FsArticleSource, FsDigestStore } from '../../../functions/adapters/fs-store.ts';
import { EXTRACTION_BUDGET_MS, TimeBoxedPreparer } from '../../../functions/adapters/time-boxed-preparer.ts';
import { bundleWorkerEntry, WORKER_ENTRY } from '../../../functions/adapters/worker-bundle.ts';
import { ingestBatch } from '../../../functions/app/ingest-batch.ts';
import { prepareInProcess } from '../../../functions/app/prepare.ts';
import { InputRejectedError } from '../../../functions/core/errors.ts';
import { generatedArticle } from '../../hostile/articles.ts';

const ARRIVED = new Date('2022-03-20T08:00:00Z');
const encoder = new TextEncoder();
const base = mkdtempSync(join(tmpdir(), 'time-boxed-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

/**
 * 250 nested divs (under the depth limit) around 6,000 paragraphs: Readability rescans the deep chain
 * for every paragraph, so the page takes tens of seconds to extract on any machine, far past the budget.
 */
function slowPage(): string {
  const words = 'The council met on Tuesday to discuss the new budget for the city. ';
  return `<html><body>${'<div>'.repeat(250)}${`<p>${words}</p>`.repeat(6_000)}${'</div>'.repeat(250)}</body></html>`;
}

/** A budget far below the slow page's extraction time, and far above a real article's. */
const TEST_BUDGET_MS = 1_000;

const entry = () => bundleWorkerEntry(WORKER_ENTRY);

describe('TimeBoxedPreparer', () => {
  it('refuses a page that runs past the budget as too-slow, and prepares the next files as usual', async () => {
    const preparer = new TimeBoxedPreparer({ entry, budgetMs: TEST_BUDGET_MS });
    try {
      const slow = encoder.encode(slowPage());
      const article = generatedArticle(1).text;
      const [refused, next] = await Promise.all([
        preparer.prepare({ key: 'slow.html', bytes: slow, arrivedAt: ARRIVED }),
        preparer.prepare({ key: 'next.txt', bytes: encoder.encode(article), arrivedAt: ARRIVED }),
      ]);
      expect(refused.ok).toBe(false);
      if (refused.ok) return;
      expect(refused.error).toBeInstanceOf(InputRejectedError);
      expect((refused.error as InputRejectedError).code).toBe('too-slow');
      expect((refused.error as InputRejectedError).reason).toMatch(/^too-slow: .*took more than 1 s/);
      expect(refused.bytes).toEqual(encoder.encode(slowPage()));
      expect(preparer.stats).toEqual({ tooSlow: 1, workersStarted: 2 });

      const inProcess = await prepareInProcess({
        key: 'next.txt',
        bytes: encoder.encode(article),
        arrivedAt: ARRIVED,
      });
      expect(next.ok && inProcess.ok && next.article).toEqual(inProcess.ok && inProcess.article);
      expect(next.ok && next.signals).toBeTruthy();
    } finally {
      await preparer.close();
    }
  });

  it('gives a file what the in-process preparer gives, rejection included', async () => {
    const preparer = new TimeBoxedPreparer({ entry });
    try {
      for (const [key, text] of [
        ['empty.html', '<html><body></body></html>'],
        ['deep.html', '<div>'.repeat(5_000)],
        ['article.txt', generatedArticle(2).text],
      ] as const) {
        const boxed = await preparer.prepare({ key, bytes: encoder.encode(text), arrivedAt: ARRIVED });
        const here = await prepareInProcess({ key, bytes: encoder.encode(text), arrivedAt: ARRIVED });
        expect(boxed.ok).toBe(here.ok);
        if (boxed.ok && here.ok) expect(boxed.article).toEqual(here.article);
        if (!boxed.ok && !here.ok) expect(String(boxed.error)).toBe(String(here.error));
      }
      expect(preparer.stats.workersStarted).toBe(1);
    } finally {
      await preparer.close();
    }
  });

  it('prepares on this thread, with a warning, when no worker can start', async () => {
    const warnings: string[] = [];
    const preparer = new TimeBoxedPreparer({
      entry: () => new URL('file:///nonexistent/prepare-worker.mjs'),
      onWarning: (message) => warnings.push(message),
    });
    try {
      const prepared = await preparer.prepare({
        key: 'a.txt',
        bytes: encoder.encode(generatedArticle(3).text),
        arrivedAt: ARRIVED,
      });
      expect(prepared.ok).toBe(true);
      expect(warnings).toEqual([expect.stringMatching(/without the per-file time budget/)]);
    } finally {
      await preparer.close();
    }
  });

  it('defaults to a budget of 5 s', () => {
    expect(EXTRACTION_BUDGET_MS).toBe(5_000);
  });
});

describe('a batch with a too-slow page', () => {
  it('quarantines the slow page with its reason and ingests the rest', async () => {
    const input = join(base, 'in');
    const out = join(base, 'out');
    mkdirSync(input, { recursive: true });
    writeFileSync(join(input, 'slow.html'), slowPage());
    writeFileSync(join(input, 'good.txt'), generatedArticle(4).text);
    const preparer = new TimeBoxedPreparer({ entry, budgetMs: TEST_BUDGET_MS });
    try {
      const report = await ingestBatch(
        [
          { key: 'slow.html', arrivedAt: ARRIVED },
          { key: 'good.txt', arrivedAt: ARRIVED },
        ],
        { source: new FsArticleSource(input), store: new FsDigestStore(out), prepare: preparer.prepare },
      );
      expect(report.files.map((file) => [file.key, file.outcome.kind])).toEqual([
        ['slow.html', 'rejected'],
        ['good.txt', 'story'],
      ]);
      const [record] = await readdir(join(out, 'quarantine'));
      const quarantined = JSON.parse(await readFile(join(out, 'quarantine', record as string), 'utf8'));
      expect(quarantined).toMatchObject({ key: 'slow.html', reason: expect.stringMatching(/^too-slow: /) });
    } finally {
      await preparer.close();
    }
  });
});
