/**
 * StoryEngine.replayInPublicationOrder: a small collection is clustered again in publication order at the end of a batch,
 * so its stories do not depend on the order its files arrived in, while every file keeps its outcome.
 * The seeds are extracted as the CLI extracts them, all arriving on one day (an S3 sync of the folder).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../../functions/core/extract/index.ts';
import { REPLAY_MAX_ARTICLES } from '../../../functions/core/stories/publication-replay.ts';
import { StoryEngine } from '../../../functions/core/stories/story-engine.ts';
import type { ExtractedArticle } from '../../../functions/core/types.ts';
import { storyGrouping } from '../../support/articles.ts';
import { reprintOf000, SEEDS_DIR } from './seed-loader.ts';

const ARRIVED = new Date('2022-03-11T09:00:00Z');

async function extractedSeeds(): Promise<Map<string, ExtractedArticle>> {
  const seeds = new Map<string, ExtractedArticle>();
  for (const file of readdirSync(SEEDS_DIR).sort()) {
    const bytes = readFileSync(join(SEEDS_DIR, file));
    seeds.set(file.slice(0, 3), await extractArticle({ key: file, bytes, arrivedAt: ARRIVED }));
  }
  return seeds;
}

function ingestInOrder(seeds: ReadonlyMap<string, ExtractedArticle>, order: readonly string[]): StoryEngine {
  const room = StoryEngine.empty();
  for (const name of order) room.ingest({ source: name, article: seeds.get(name)!, arrivedAt: ARRIVED });
  return room;
}

function grouping(room: StoryEngine): string {
  return storyGrouping(room.records());
}

describe('StoryEngine.replayInPublicationOrder', async () => {
  const seeds = await extractedSeeds();

  it('gives the seeds their three stories whatever order they arrived in', () => {
    // Reversed and two other orders that the online pass alone gets wrong (a follow-up founds the
    // story its event's first reports then join, or two follow-ups merge).
    for (const order of [
      ['004', '003', '002', '001', '000'],
      ['000', '003', '004', '001', '002'],
      ['003', '004', '000', '001', '002'],
      ['000', '001', '002', '003', '004'],
    ]) {
      expect(
        grouping(StoryEngine.replayInPublicationOrder(ingestInOrder(seeds, order))),
        order.join(','),
      ).toBe('000+001+002 | 003 | 004');
    }
  });

  it('keeps every file’s outcome: a copy stays the copy of the same original, a rejection stays', () => {
    const room = ingestInOrder(seeds, ['004', '003']);
    // The reprint arrives before the article it reprints, so it is the original and 000 its copy.
    room.ingest({ source: 'reprint', article: reprintOf000(seeds.get('000')!), arrivedAt: ARRIVED });
    for (const name of ['002', '001', '000']) {
      room.ingest({ source: name, article: seeds.get(name)!, arrivedAt: ARRIVED });
    }
    room.reject({ source: 'photo.png', reason: 'binary file (png)', arrivedAt: ARRIVED });
    const before = room.records();
    const settled = StoryEngine.replayInPublicationOrder(room);
    const after = settled.records();

    expect(after.map((r) => r.source)).toEqual(before.map((r) => r.source));
    const bySource = new Map(after.map((r) => [r.source, r]));
    expect(bySource.get('000')?.duplicateOf).toBe('reprint');
    expect(bySource.get('000')?.storyId).toBe(bySource.get('reprint')?.storyId);
    expect(bySource.get('photo.png')?.rejected).toBe('binary file (png)');
    for (const r of after) {
      const was = before.find((b) => b.source === r.source)!;
      expect([r.duplicateOf, r.rejected], r.source).toEqual([was.duplicateOf, was.rejected]);
    }
    expect(grouping(settled)).toBe('000+001+002+reprint | 003 | 004');
  });

  it('marks changed every day either grouping has a story on, so an emptied day is rewritten too', () => {
    const room = ingestInOrder(seeds, ['004', '003', '002', '001', '000']);
    const daysBefore = room.days();
    room.takeChangedDays();
    const settled = StoryEngine.replayInPublicationOrder(room);
    // Online, 002 (undated) founded a story on its arrival day; settled, it joins the 28 February talks.
    expect(daysBefore).toContain('2022-03-11');
    expect(settled.days()).not.toContain('2022-03-11');
    expect(settled.takeChangedDays()).toEqual([...new Set([...daysBefore, ...settled.days()])].sort());
  });

  it('is a fixed point: settling a settled collection changes no digest', () => {
    const once = StoryEngine.replayInPublicationOrder(
      ingestInOrder(seeds, ['003', '004', '000', '001', '002']),
    );
    const twice = StoryEngine.replayInPublicationOrder(once);
    for (const day of once.days()) expect(twice.digest(day)).toEqual(once.digest(day));
  });

  it('leaves a collection beyond REPLAY_MAX_ARTICLES to the online pass', () => {
    const room = StoryEngine.empty();
    for (let i = 0; i <= REPLAY_MAX_ARTICLES; i++) {
      room.reject({ source: `empty-${i}.txt`, reason: 'empty file', arrivedAt: ARRIVED });
    }
    expect(StoryEngine.replayInPublicationOrder(room)).toBe(room);
  });
});
