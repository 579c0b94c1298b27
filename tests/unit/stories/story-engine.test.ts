import { describe, expect, it } from 'vitest';
import { NewsDigestError } from '../../../functions/core/errors.ts';
import { StoryEngine } from '../../../functions/core/stories/story-engine.ts';
import { loadSeeds } from './seed-loader.ts';

const ARRIVED = new Date('2026-01-15T10:00:00Z');

describe('StoryEngine engine', () => {
  it('gives deterministic article ids from the source', () => {
    const [seed] = loadSeeds();
    const a = StoryEngine.empty().ingest({
      source: seed!.source,
      article: seed!.article,
      arrivedAt: ARRIVED,
    });
    const b = StoryEngine.empty().ingest({
      source: seed!.source,
      article: seed!.article,
      arrivedAt: ARRIVED,
    });
    expect(a.articleId).toBe(b.articleId);
  });

  it('replaces an article when the same source arrives with new content', () => {
    const room = StoryEngine.empty();
    const seeds = loadSeeds();
    for (const s of seeds) room.ingest({ source: s.source, article: s.article, arrivedAt: ARRIVED });
    const changed = {
      ...seeds[3]!.article,
      text: `${seeds[3]!.article.text}\n\nA late paragraph was added.`,
    };
    const outcome = room.ingest({ source: seeds[3]!.source, article: changed, arrivedAt: ARRIVED });
    expect(outcome.kind).toBe('story');
    const records = room.records();
    expect(records).toHaveLength(seeds.length);
    expect(records.find((r) => r.source === seeds[3]!.source)?.text).toContain('A late paragraph was added.');
    const members = room
      .days()
      .flatMap((d) => room.digest(d).stories.flatMap((s) => s.articles.map((a) => a.source)));
    expect(members.filter((m) => m === seeds[3]!.source)).toHaveLength(1);
  });

  it('records rejections and drops a rejected article from its story', () => {
    const room = StoryEngine.empty();
    const [s0] = loadSeeds();
    room.ingest({ source: s0!.source, article: s0!.article, arrivedAt: ARRIVED });
    const r = room.reject({ source: s0!.source, reason: 'empty: the file is empty', arrivedAt: ARRIVED });
    expect(r.kind).toBe('rejected');
    expect(room.days()).toEqual([]);
    expect(room.records()[0]).toMatchObject({ rejected: 'empty: the file is empty', storyId: null });
    expect(
      room.reject({ source: s0!.source, reason: 'empty: the file is empty', arrivedAt: ARRIVED }).kind,
    ).toBe('unchanged');
  });

  it('reports changed days once, then only days touched since', () => {
    const room = StoryEngine.empty();
    const seeds = loadSeeds();
    for (const s of seeds.slice(0, 3))
      room.ingest({ source: s.source, article: s.article, arrivedAt: ARRIVED });
    expect(room.takeChangedDays()).toEqual(['2022-02-28']);
    room.ingest({ source: seeds[3]!.source, article: seeds[3]!.article, arrivedAt: ARRIVED });
    expect(room.takeChangedDays()).toEqual(['2022-03-04']);
  });

  it('refuses a corrupt or foreign-version state with a NewsDigestError', () => {
    expect(() => StoryEngine.fromState(null)).toThrow(NewsDigestError);
    expect(() => StoryEngine.fromState({ version: 99 })).toThrow(/version/);
    expect(() => StoryEngine.fromState({ version: 1, articles: [] })).toThrow(NewsDigestError);
  });
});
