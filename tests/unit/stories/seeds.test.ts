import { describe, expect, it } from 'vitest';
import { StoryEngine } from '../../../functions/core/stories/story-engine.ts';
import type { Digest, DigestStory } from '../../../functions/core/types.ts';
import { expectNoRestatements } from '../../support/restatements.ts';
import { loadSeeds, reprintOf000 } from './seed-loader.ts';

const ARRIVED = new Date('2026-01-15T10:00:00Z');

function ingestSeeds(): { room: StoryEngine; ids: Map<string, string> } {
  const room = StoryEngine.empty();
  const ids = new Map<string, string>();
  for (const seed of loadSeeds()) {
    const outcome = room.ingest({ source: seed.source, article: seed.article, arrivedAt: ARRIVED });
    ids.set(seed.number, outcome.articleId);
  }
  return { room, ids };
}

function allStories(room: StoryEngine): { day: string; story: DigestStory }[] {
  return room.days().flatMap((day) => room.digest(day).stories.map((story) => ({ day, story })));
}

function storyOf(room: StoryEngine, articleId: string): { day: string; story: DigestStory } {
  const found = allStories(room).find(({ story }) => story.articles.some((a) => a.id === articleId));
  if (!found) throw new Error(`article ${articleId} is in no story`);
  return found;
}

describe('seeds acceptance (issue 2 / issue 8)', () => {
  it('forms three stories: 000+001+002 on 2022-02-28, 003 and 004 alone', () => {
    const { room, ids } = ingestSeeds();
    expect(allStories(room)).toHaveLength(3);
    const talks = storyOf(room, ids.get('000')!);
    expect(talks.day).toBe('2022-02-28');
    expect(talks.story.articles.map((a) => a.id).sort()).toEqual(
      [ids.get('000')!, ids.get('001')!, ids.get('002')!].sort(),
    );
    expect(storyOf(room, ids.get('003')!).story.articles).toHaveLength(1);
    expect(storyOf(room, ids.get('004')!).story.articles).toHaveLength(1);
    expect(storyOf(room, ids.get('003')!).day).toBe('2022-03-04');
  });

  it('dates the undated 002 by its story (dateSource story), 000/001 keep their text dates', () => {
    const { room } = ingestSeeds();
    const bySource = new Map(room.records().map((r) => [r.source.slice(0, 3), r]));
    expect(bySource.get('002')).toMatchObject({ publishedAt: '2022-02-28', dateSource: 'story' });
    expect(bySource.get('000')).toMatchObject({ publishedAt: '2022-02-28', dateSource: 'text' });
    expect(bySource.get('001')).toMatchObject({ publishedAt: '2022-02-28', dateSource: 'text' });
    expect(bySource.get('003')).toMatchObject({ publishedAt: '2022-03-04', dateSource: 'metadata' });
  });

  it('shows the 4,500 vs 500 Russian deaths disagreement in the 28 February story', () => {
    const { room, ids } = ingestSeeds();
    const { story } = storyOf(room, ids.get('000')!);
    const dispute = story.disagreements?.find((d) => d.figures.some((f) => f.value === 4500));
    expect(dispute).toBeDefined();
    expect(dispute!.figures.map((f) => f.value)).toContain(500);
    expect(dispute!.quantity).toMatch(/russian/);
    const analyst = dispute!.figures.find((f) => f.value === 500)!;
    expect(analyst.sentence).toContain('Leviyev');
    expect(analyst.articleId).toBe(ids.get('001'));
  });

  it('links 003 and 004 as follow-ups of the 28 February talks', () => {
    const { room, ids } = ingestSeeds();
    const talks = storyOf(room, ids.get('000')!).story;
    for (const n of ['003', '004']) {
      const { story } = storyOf(room, ids.get(n)!);
      expect(story.followUpTo).toMatchObject({ storyId: talks.id, day: '2022-02-28' });
    }
    expect(talks.followUpTo).toBeNull();
  });

  it('summarises the three-article story from more than one article, verbatim, without repeats', () => {
    const { room, ids } = ingestSeeds();
    const { story } = storyOf(room, ids.get('000')!);
    const seeds = loadSeeds();
    const textById = new Map(seeds.map((s) => [ids.get(s.number)!, s.article.text]));
    expect(story.summary.length).toBeGreaterThanOrEqual(3);
    expect(new Set(story.summary.map((s) => s.articleId)).size).toBeGreaterThan(1);
    for (const s of story.summary) expect(textById.get(s.articleId)).toContain(s.text);
    expect(new Set(story.summary.map((s) => s.text)).size).toBe(story.summary.length);
    expect(story.headline).toBe('Russia and Ukraine start ceasefire talks');
  });

  it('summarises every seed story without a sentence that restates another in fewer words', () => {
    const { room } = ingestSeeds();
    for (const { story } of allStories(room)) {
      expectNoRestatements(story.summary);
    }
  });

  it('marks a reprint of 000 (reworded header, one changed line) as its duplicate', () => {
    const { room, ids } = ingestSeeds();
    const seed000 = loadSeeds()[0]!;
    const outcome = room.ingest({
      source: '005_reprint.txt',
      article: reprintOf000(seed000.article),
      arrivedAt: ARRIVED,
    });
    expect(outcome.kind).toBe('duplicate');
    if (outcome.kind !== 'duplicate') return;
    expect(outcome.duplicateOf).toBe(seed000.source);
    expect(outcome.similarity).toBeGreaterThanOrEqual(0.8);
    const { story } = storyOf(room, ids.get('000')!);
    expect(story.duplicates).toEqual([
      expect.objectContaining({ source: '005_reprint.txt', duplicateOf: seed000.source }),
    ]);
    expect(allStories(room)).toHaveLength(3);
    expect(story.outlets).toContain('reprint-outlet');
  });

  it('is idempotent: the same files again change nothing', () => {
    const { room } = ingestSeeds();
    const before: Digest[] = room.days().map((d) => room.digest(d));
    room.takeChangedDays();
    for (const seed of loadSeeds()) {
      expect(room.ingest({ source: seed.source, article: seed.article, arrivedAt: ARRIVED }).kind).toBe(
        'unchanged',
      );
    }
    expect(room.takeChangedDays()).toEqual([]);
    expect(room.days().map((d) => room.digest(d))).toEqual(before);
  });
});
