/**
 * Batches of files for the item-level engine tests, an in-memory versioned item store that behaves
 * like the ItemStore port (conditional single-item writes), and the whole-state engine as reference.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { StoryEngine } from '../../../../functions/core/stories/story-engine.ts';
import {
  type EngineItem,
  type EngineItemKey,
  type EngineItemValue,
  engineItemId,
  type ItemChanges,
  isListedKey,
  type ReadItem,
} from '../../../../functions/core/stories/story-items.ts';
import type { ExtractedArticle } from '../../../../functions/core/types.ts';
import { loadLabelledArticles } from '../../../eval/clustering.ts';
import { generatedArticle } from '../../../hostile/articles.ts';
import { loadSeeds, reprintOf000 } from '../seed-loader.ts';

export type FileOp =
  | {
      readonly kind: 'ingest';
      readonly source: string;
      readonly article: ExtractedArticle;
      readonly arrivedAt: Date;
    }
  | { readonly kind: 'reject'; readonly source: string; readonly reason: string; readonly arrivedAt: Date };

export function applyOp(engine: StoryEngine, op: FileOp): void {
  if (op.kind === 'ingest')
    engine.ingest({ source: op.source, article: op.article, arrivedAt: op.arrivedAt });
  else engine.reject({ source: op.source, reason: op.reason, arrivedAt: op.arrivedAt });
}

function generated(index: number, edit = ''): ExtractedArticle {
  const g = generatedArticle(index, 5);
  return {
    format: 'text',
    title: g.title,
    text: `${g.body}${edit}`,
    url: `https://news.example/${index}`,
    outlet: `outlet-${index % 4}`,
    date: { day: g.day, source: 'text' },
    description: null,
  };
}

/**
 * Seeds (three stories and a reprint), generated events, near copies of some of them, an original
 * replaced while it has copies, and a rejection of a file that was an article: in batches of ten.
 */
export function mixedBatches(): FileOp[][] {
  const ops: FileOp[] = [];
  const at = (n: number): Date => new Date(Date.UTC(2022, 2, 11, 8, n));
  const seeds = loadSeeds();
  seeds.forEach((s, i) => {
    ops.push({ kind: 'ingest', source: s.source, article: s.article, arrivedAt: at(i) });
  });
  ops.push({
    kind: 'ingest',
    source: 'reprint-000.txt',
    article: reprintOf000(seeds[0]!.article),
    arrivedAt: at(6),
  });
  for (let i = 0; i < 50; i++) {
    ops.push({ kind: 'ingest', source: `gen-${i}.txt`, article: generated(i), arrivedAt: at(10 + i) });
    if (i % 7 === 3)
      ops.push({
        kind: 'ingest',
        source: `copy-${i}.txt`,
        article: { ...generated(i, ' A spokesperson declined to comment.'), outlet: 'wire' },
        arrivedAt: at(10 + i),
      });
  }
  ops.push({
    kind: 'ingest',
    source: 'gen-3.txt',
    article: generated(3, ' Corrected on Friday.'),
    arrivedAt: at(90),
  });
  ops.push({ kind: 'reject', source: 'gen-8.txt', reason: 'withdrawn by the publisher', arrivedAt: at(91) });
  ops.push({ kind: 'ingest', source: 'gen-12.txt', article: generated(12), arrivedAt: at(92) });
  const batches: FileOp[][] = [];
  for (let i = 0; i < ops.length; i += 10) batches.push(ops.slice(i, i + 10));
  return batches;
}

const EVAL_ARTICLES = join(import.meta.dirname, '../../../../../shared/eval/clustering/articles');

/** The clustering evaluation's articles in batches of ten (null when ../shared/eval is absent). */
export async function evaluationBatches(): Promise<FileOp[][] | null> {
  if (!existsSync(EVAL_ARTICLES)) return null;
  const arrivedAt = new Date('2018-03-01T00:00:00Z');
  const ops: FileOp[] = (await loadLabelledArticles(EVAL_ARTICLES)).map((a) => ({
    kind: 'ingest',
    source: a.file,
    article: a.article,
    arrivedAt,
  }));
  const batches: FileOp[][] = [];
  for (let i = 0; i < ops.length; i += 10) batches.push(ops.slice(i, i + 10));
  return batches;
}

/**
 * Versioned items in memory: the port's semantics (a conditional write names the version read, an
 * unversioned one 'any'); a key naming a whole partition (isListedKey) reads every item of it.
 */
export class MemoryItemStore {
  private readonly items = new Map<string, { key: EngineItemKey; json: string; version: number }>();
  reads = 0;
  writes = 0;

  getMany(keys: Iterable<EngineItemKey>, counted = true): Map<string, ReadItem> {
    const out = new Map<string, ReadItem>();
    const found = (id: string, item: { key: EngineItemKey; json: string; version: number }) =>
      out.set(id, { key: item.key, value: JSON.parse(item.json) as EngineItemValue, version: item.version });
    for (const key of keys) {
      if (counted) this.reads++;
      if (isListedKey(key)) {
        for (const [id, item] of this.items) if (item.key.partition === key.partition) found(id, item);
        continue;
      }
      const id = engineItemId(key);
      const item = this.items.get(id);
      if (item) found(id, item);
    }
    return out;
  }

  /** Every item, not counted as reads (for comparisons). */
  all(): Map<string, ReadItem> {
    return this.getMany(
      [...this.items.values()].map((i) => i.key),
      false,
    );
  }

  /** Applies a batch's changes (counters by increment), refusing all of them when any versioned item moved since it was read. */
  commit(changes: ItemChanges): void {
    for (const put of changes.puts) {
      const current = this.items.get(engineItemId(put.key))?.version ?? null;
      if (put.expectedVersion !== 'any' && current !== put.expectedVersion)
        throw new Error(`conflict on ${put.key.partition}`);
    }
    for (const del of changes.deletes) {
      const current = this.items.get(engineItemId(del.key))?.version ?? null;
      if (del.expectedVersion !== 'any' && current !== del.expectedVersion)
        throw new Error(`conflict on ${del.key.partition}`);
    }
    for (const put of changes.puts) {
      const id = engineItemId(put.key);
      this.writes++;
      this.items.set(id, {
        key: put.key,
        json: JSON.stringify(put.value),
        version: put.expectedVersion === 'any' ? 1 : (this.items.get(id)?.version ?? 0) + 1,
      });
    }
    for (const del of changes.deletes) {
      this.writes++;
      this.items.delete(engineItemId(del.key));
    }
    for (const { key, deltas } of changes.counts) {
      const id = engineItemId(key);
      this.writes++;
      const value = JSON.parse(this.items.get(id)?.json ?? '{}') as Record<string, number>;
      for (const [field, d] of Object.entries(deltas)) value[field] = (value[field] ?? 0) + d;
      // A counter that comes back to zero everywhere is gone, as the whole-state engine holds no such term.
      if (Object.values(value).every((n) => n === 0)) this.items.delete(id);
      else this.items.set(id, { key, json: JSON.stringify(value), version: 0 });
    }
  }

  size(): number {
    return this.items.size;
  }
}

/** Items as a JSON-comparable list, by id. */
export function itemsJson(items: ReadonlyMap<string, EngineItem>): [string, string][] {
  return [...items.entries()]
    .map(([id, item]) => [id, JSON.stringify(item.value)] as [string, string])
    .sort();
}
