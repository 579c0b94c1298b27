/**
 * Fuzz test of the HTML defences (issue 18.1): pages of up to 1 MB nested in every parser mode
 * (raw-text elements, foreign content, template, comments, self-closing slashes, unclosed tags,
 * nested tables and lists, and mixes of them) each end extracted or quarantined, never a stalled or
 * failed batch, and the article beside them in the batch is ingested as usual. The depth guard
 * refuses the deep ones at once; the time budget stops whatever else runs long.
 *
 * Run counts and the budget are modest on purpose (shared CPU); fast-check's seed is printed on
 * failure for replay.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { FsArticleSource, FsDigestStore } from '../../functions/adapters/fs-store.ts';
import { TimeBoxedPreparer } from '../../functions/adapters/time-boxed-preparer.ts';
import { bundleWorkerEntry, WORKER_ENTRY } from '../../functions/adapters/worker-bundle.ts';
import { ingestBatch } from '../../functions/app/ingest-batch.ts';
import { generatedArticle } from '../hostile/articles.ts';

const ARRIVED = new Date('2022-03-20T08:00:00Z');
const MAX_PAGE_BYTES = 1024 * 1024;
/** Below the product's 5 s so a run of slow pages stays short; the mechanism is the same. */
const BUDGET_MS = 2_000;
const base = mkdtempSync(join(tmpdir(), 'html-budget-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const SENTENCE = 'The harbour authority said on Monday that the new ferry route would open in spring. ';

/** One parser mode: how `depth` levels of it open, and what closes them (empty: left unclosed). */
const MODES: Readonly<Record<string, (depth: number) => readonly [string, string]>> = {
  divs: (d) => ['<div>'.repeat(d), '</div>'.repeat(d)],
  'raw-text': (d) => [
    `<script>${'<div>'.repeat(d)}</script><style>${'<p>'.repeat(d)}</style><title>`,
    '</title>',
  ],
  'textarea-xmp': (d) => [`<textarea>${'<div>'.repeat(d)}</textarea><xmp>`, '</xmp>'],
  'not-raw-text': (d) => [`<iframe><noembed><noframes><noscript>${'<div>'.repeat(d)}`, ''],
  svg: (d) => [`<svg>${'<g>'.repeat(d)}${'<g/>'.repeat(d)}`, `${'</g>'.repeat(d)}</svg>`],
  math: (d) => [`<math>${'<mrow>'.repeat(d)}<mi/>`, `${'</mrow>'.repeat(d)}</math>`],
  template: (d) => ['<template>'.repeat(d), '</template>'.repeat(d)],
  comments: (d) => [`${'<!--><div><!---><!-- x -->'.repeat(d)}`, '</div>'.repeat(d)],
  'unterminated-comment': (d) => [`${'<span>'.repeat(d)}<!-- `, ''],
  'self-closing': (d) => ['<div/>'.repeat(d), ''],
  unclosed: (d) => ['<span><b>'.repeat(d), ''],
  tables: (d) => ['<table><tr><td>'.repeat(d), '</td></tr></table>'.repeat(d)],
  lists: (d) => ['<ul><li>'.repeat(d), '</li></ul>'.repeat(d)],
};

const layer = fc.record({
  mode: fc.constantFrom(...Object.keys(MODES)),
  depth: fc.oneof(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 60, max: 400 })),
});

const page = fc
  .record({
    layers: fc.array(layer, { minLength: 1, maxLength: 3 }),
    paragraphs: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 20, max: 3_000 })),
    copies: fc.oneof(fc.constant(1), fc.integer({ min: 2, max: 400 })),
  })
  .map(({ layers, paragraphs, copies }) => {
    let open = '';
    let close = '';
    for (const { mode, depth } of layers) {
      const [o, c] = (MODES[mode] as (depth: number) => readonly [string, string])(depth);
      open += o;
      close = c + close;
    }
    const one = `${open}${`<p>${SENTENCE}</p>`.repeat(paragraphs)}${close}`;
    const body = one.repeat(
      Math.max(1, Math.min(copies, Math.floor(MAX_PAGE_BYTES / Math.max(1, one.length)))),
    );
    return `<!doctype html><html><head><title>Ferry</title></head><body>${body}</body></html>`.slice(
      0,
      MAX_PAGE_BYTES,
    );
  });

describe('HTML pages in every parser mode, up to 1 MB', () => {
  it('are each extracted or quarantined, and the batch goes on', async () => {
    const preparer = new TimeBoxedPreparer({
      entry: () => bundleWorkerEntry(WORKER_ENTRY),
      budgetMs: BUDGET_MS,
    });
    let run = 0;
    try {
      await fc.assert(
        fc.asyncProperty(page, async (html) => {
          const dir = join(base, String(run++));
          const input = join(dir, 'in');
          await import('node:fs/promises').then((fs) => fs.mkdir(input, { recursive: true }));
          writeFileSync(join(input, 'page.html'), html);
          writeFileSync(join(input, 'article.txt'), generatedArticle(run).text);
          const report = await ingestBatch(
            [
              { key: 'page.html', arrivedAt: ARRIVED },
              { key: 'article.txt', arrivedAt: ARRIVED },
            ],
            {
              source: new FsArticleSource(input),
              store: new FsDigestStore(join(dir, 'out')),
              prepare: preparer.prepare,
            },
          );
          const [generated, article] = report.files;
          expect(['story', 'duplicate', 'rejected']).toContain(generated?.outcome.kind);
          expect(article?.outcome.kind).toBe('story');
          rmSync(dir, { recursive: true, force: true });
        }),
        { numRuns: 24 },
      );
    } finally {
      await preparer.close();
    }
  }, 300_000);
});
