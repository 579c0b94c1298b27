import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jaccard, nearDuplicateVerdict, shingleSet } from '../../functions/core/stories/fingerprint.ts';
import { StoryEngine } from '../../functions/core/stories/story-engine.ts';
import { summariseArticle, summariseStory } from '../../functions/core/stories/summarise.ts';
import type { ExtractedArticle } from '../../functions/core/types.ts';

const WORDS = [
  'talks',
  'ceasefire',
  'Kyiv',
  'Moscow',
  'border',
  'troops',
  'refugees',
  'market',
  'rouble',
  'minister',
  'Belarus',
  'sanctions',
  'storm',
  'snow',
  'record',
  'airline',
  'flight',
  'bird',
  'Delta',
  'court',
];
const sentence = fc
  .array(fc.constantFrom(...WORDS), { minLength: 6, maxLength: 14 })
  .map((ws) => `The ${ws.join(' ')} today.`);
const body = fc.array(sentence, { minLength: 2, maxLength: 8 }).map((ss) => ss.join('\n\n'));
const day = fc.integer({ min: 1, max: 28 }).map((d) => `2022-02-${String(d).padStart(2, '0')}`);
const article = fc
  .record({ text: body, day: fc.option(day, { nil: null }), title: fc.option(sentence, { nil: null }) })
  .map(
    (a): ExtractedArticle => ({
      format: 'text',
      title: a.title,
      text: a.text,
      url: null,
      outlet: null,
      date: a.day ? { day: a.day, source: 'metadata' } : null,
      description: null,
    }),
  );
const ARRIVED = new Date('2022-03-01T00:00:00Z');

describe('story invariants (fast-check)', () => {
  it('shingle similarity is symmetric and 1 for identical text', () => {
    fc.assert(
      fc.property(body, body, (a, b) => {
        const sa = shingleSet(a);
        const sb = shingleSet(b);
        expect(jaccard(sa, sb)).toBe(jaccard(sb, sa));
        expect(nearDuplicateVerdict(sa, sb)).toEqual(nearDuplicateVerdict(sb, sa));
        expect(jaccard(sa, shingleSet(a))).toBe(1);
      }),
    );
  });

  it('every ingested article lands in exactly one story or is a duplicate of one', () => {
    fc.assert(
      fc.property(fc.array(article, { minLength: 1, maxLength: 12 }), (articles) => {
        const room = StoryEngine.empty();
        for (const [i, a] of articles.entries())
          room.ingest({ source: `f${i}.txt`, article: a, arrivedAt: ARRIVED });
        const memberships = new Map<string, number>();
        const dupSources = new Set<string>();
        for (const d of room.days()) {
          for (const st of room.digest(d).stories) {
            for (const a of st.articles) memberships.set(a.source, (memberships.get(a.source) ?? 0) + 1);
            for (const dup of st.duplicates) dupSources.add(dup.source);
          }
        }
        for (let i = 0; i < articles.length; i++) {
          const source = `f${i}.txt`;
          const inStories = memberships.get(source) ?? 0;
          expect(inStories + (dupSources.has(source) ? 1 : 0)).toBe(1);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('summary sentences come verbatim from their sources', () => {
    fc.assert(
      fc.property(fc.array(body, { minLength: 1, maxLength: 4 }), (texts) => {
        const sources = texts.map((text, i) => ({ articleId: `a${i}`, title: null, text, outlet: null }));
        for (const s of summariseStory(sources, null, 4)) {
          expect(sources.find((src) => src.articleId === s.articleId)?.text).toContain(s.text);
        }
        for (const s of summariseArticle(null, texts[0]!, 3)) expect(texts[0]).toContain(s);
      }),
    );
  });

  it('state round-trips: a restored newsroom behaves identically', () => {
    fc.assert(
      fc.property(fc.array(article, { minLength: 1, maxLength: 8 }), article, (first, next) => {
        const room = StoryEngine.empty();
        for (const [i, a] of first.entries())
          room.ingest({ source: `f${i}.txt`, article: a, arrivedAt: ARRIVED });
        const state = JSON.parse(JSON.stringify(room.toState()));
        const restored = StoryEngine.fromState(state);
        expect(restored.toState()).toEqual(room.toState());
        const o1 = room.ingest({ source: 'next.txt', article: next, arrivedAt: ARRIVED });
        const o2 = restored.ingest({ source: 'next.txt', article: next, arrivedAt: ARRIVED });
        expect(o2).toEqual(o1);
        expect(restored.toState()).toEqual(room.toState());
        expect(restored.records()).toEqual(room.records());
      }),
      { numRuns: 40 },
    );
  });
});
