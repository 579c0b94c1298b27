/**
 * Young stories are re-checked member by member (story-assignment.ts refineYoungStory), so a report that
 * founded or joined a story before the event's other reports arrived is taken out again. The seeds,
 * extracted as the pipeline extracts them and arriving on 11 March 2022 as a feed would deliver them,
 * in orders where a follow-up report comes first: these ended as one or two blended stories before.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../../functions/core/extract/index.ts';
import { StoryEngine } from '../../../functions/core/stories/story-engine.ts';
import type { ExtractedArticle } from '../../../functions/core/types.ts';
import { SEEDS_DIR } from './seed-loader.ts';

const ARRIVED = new Date('2022-03-11T08:00:00Z');

async function extractedSeeds(): Promise<Map<string, { source: string; article: ExtractedArticle }>> {
  const out = new Map<string, { source: string; article: ExtractedArticle }>();
  for (const source of readdirSync(SEEDS_DIR).sort()) {
    const bytes = new Uint8Array(readFileSync(join(SEEDS_DIR, source)));
    out.set(source.slice(0, 3), {
      source,
      article: await extractArticle({ key: source, bytes, arrivedAt: ARRIVED }),
    });
  }
  return out;
}

function storiesAfter(
  order: readonly string[],
  seeds: Awaited<ReturnType<typeof extractedSeeds>>,
): StoryEngine {
  const room = StoryEngine.empty();
  for (const n of order) {
    const seed = seeds.get(n)!;
    room.ingest({ source: seed.source, article: seed.article, arrivedAt: ARRIVED });
  }
  return room;
}

function grouping(room: StoryEngine): string[][] {
  const byStory = new Map<string, string[]>();
  for (const r of room.records()) {
    const key = r.storyId ?? r.id;
    byStory.set(key, [...(byStory.get(key) ?? []), r.source.slice(0, 3)]);
  }
  return [...byStory.values()].map((g) => g.sort()).sort((a, b) => a[0]!.localeCompare(b[0]!));
}

describe('young stories are re-checked as they grow', () => {
  const EXPECTED = [['000', '001', '002'], ['003'], ['004']];

  it.each([
    ['a follow-up founds the story, the event’s reports join it', ['003', '000', '001', '002', '004']],
    ['a later round joins the first report before the others arrive', ['002', '004', '000', '001', '003']],
  ])('%s: the seeds still end as three stories', async (_, order) => {
    const room = storiesAfter(order, await extractedSeeds());
    expect(grouping(room)).toEqual(EXPECTED);
  });

  it('a founder taken out of its story gets a story id of its own, and the state round-trips', async () => {
    const room = storiesAfter(['003', '000', '001', '002', '004'], await extractedSeeds());
    const ids = room.days().flatMap((day) => room.digest(day).stories.map((s) => s.id));
    expect(new Set(ids).size).toBe(3);
    expect(grouping(StoryEngine.fromState(JSON.parse(JSON.stringify(room.toState()))))).toEqual(EXPECTED);
  });
});
