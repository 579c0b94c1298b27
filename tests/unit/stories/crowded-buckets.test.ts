/**
 * Text many articles share (a syndicated paragraph, a standard disclaimer) crowds a few LSH buckets.
 * The engine keeps the first BUCKET_MAX_ARTICLES of a bucket and compares an article with at most
 * MAX_VERIFIED_CANDIDATES candidates, those agreeing on most bands first, so its work per article
 * stays flat; copies must still be found, of the first article and of the last.
 */
import { describe, expect, it } from 'vitest';
import {
  BUCKET_MAX_ARTICLES,
  MAX_VERIFIED_CANDIDATES,
} from '../../../functions/core/stories/duplicate-index.ts';
import { lshKeys, minHash, shingleSet } from '../../../functions/core/stories/fingerprint.ts';
import { StoryEngine } from '../../../functions/core/stories/story-engine.ts';
import { generatedArticle } from '../../hostile/articles.ts';
import { datedArticle } from '../../support/articles.ts';

const ARRIVED = new Date('2022-03-08T09:00:00Z');
const DAY = '2022-03-08';
const FLOOD = 120;

/** Three quarters one shared text, one quarter the article's own: 0.6 Jaccard with any other, not a copy. */
function crowdedText(index: number): string {
  const shared = [1000, 1001, 1002].map((i) => generatedArticle(i).text).join('\n\n');
  return `${shared}\n\n${generatedArticle(index).text}`;
}

/** The text with its first own paragraph reworded: a near copy. */
function reworded(text: string): string {
  return text.replace(/\(report (\d+)\)/, 'as reported ($1)');
}

describe('crowded LSH buckets', () => {
  const texts = Array.from({ length: FLOOD }, (_, i) => crowdedText(i));

  it('are crowded by the fixture: some bucket of the first article is shared by more than the cap', () => {
    const keysOf = (text: string) => new Set(lshKeys(minHash(shingleSet(text))));
    const first = keysOf(texts[0]!);
    const sharing = new Map<number, number>();
    for (const text of texts.slice(1))
      for (const key of keysOf(text)) if (first.has(key)) sharing.set(key, (sharing.get(key) ?? 0) + 1);
    expect(Math.max(...sharing.values())).toBeGreaterThan(BUCKET_MAX_ARTICLES);
    expect(FLOOD).toBeGreaterThan(MAX_VERIFIED_CANDIDATES);
  });

  it('still find the copies of the first and the last article, and call no other article a copy', () => {
    const room = StoryEngine.empty();
    texts.forEach((text, i) => {
      const outcome = room.ingest({
        source: `flood-${i}.txt`,
        article: datedArticle(`Report ${i}`, text, DAY),
        arrivedAt: ARRIVED,
      });
      expect(outcome.kind).toBe('story');
    });
    for (const i of [0, FLOOD - 1]) {
      const outcome = room.ingest({
        source: `copy-of-${i}.txt`,
        article: datedArticle(`Report ${i}, reprinted`, reworded(texts[i]!), DAY),
        arrivedAt: ARRIVED,
      });
      expect(outcome).toMatchObject({ kind: 'duplicate', duplicateOf: `flood-${i}.txt` });
    }
  });
});
