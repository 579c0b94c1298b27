/**
 * Posting entries are written without a version, so two batches that found a story for the same event
 * at the same time no longer collide on a common term: each commits its own story. After its commit, a
 * batch that founded stories lists again the posting partitions of their index terms; an entry it did
 * not read and did not write is a story a concurrent batch indexed meanwhile, which its own articles
 * never met. Those articles are then placed again (StoryEngine.placeAgain) and join it if they would
 * have. Of two such batches at least one sees the other's entries: each lists after its own writes,
 * so the one that lists last finds the other's.
 */
import { engineItemId, isEntryKey, postingKey, storyKey, termKey } from '../core/stories/item-keys.ts';
import { INDEX_TERMS } from '../core/stories/posting-index.ts';
import type { ArticleItem, EngineItem, ReadItem, StoryItem } from '../core/stories/story-items.ts';
import type { ItemKey, ItemStore } from '../ports.ts';
import { listPartitions } from './engine-items.ts';

/** Partitions listed at once. */

export interface PlaceAgain {
  /** The batch's articles in a story it founded that a concurrent story may belong with, in batch order. */
  readonly articleIds: readonly string[];
  /** Those stories and the concurrent ones: what placing again reads besides the articles. */
  readonly stories: readonly ItemKey[];
  /** Partitions listed to find them (store reads). */
  readonly listed: number;
}

/**
 * The batch's articles to place again, given what it read and wrote (`read`, `asked` and `after` of its
 * committed run) and its own article ids in batch order; none when it founded nothing or met no
 * concurrent story.
 */
export async function concurrentFounders(
  items: ItemStore,
  run: {
    readonly read: ReadonlyMap<string, ReadItem>;
    readonly asked: ReadonlySet<string>;
    readonly after: ReadonlyMap<string, EngineItem>;
  },
  articleIds: readonly string[],
): Promise<PlaceAgain> {
  const founded = new Map<string, string[]>();
  for (const [id, item] of run.after) {
    if (!item.key.partition.startsWith('story#') || run.read.has(id)) continue;
    const { story, centroid } = item.value as StoryItem;
    const terms = (centroid?.profile ?? [])
      .slice(0, INDEX_TERMS)
      .filter((t) => run.asked.has(engineItemId(termKey(t))));
    founded.set(story.id, terms);
  }
  const partitions = [...new Set([...founded.values()].flat())];
  const concurrent = new Map<string, Set<string>>();
  const listed = await listPartitions(
    items,
    partitions.map((t) => termKey(t).partition),
  );
  partitions.forEach((term) => {
    const page = listed.get(termKey(term).partition) ?? [];
    for (const entry of page) {
      if (!isEntryKey(entry.key)) continue;
      const id = engineItemId(postingKey(term, entry.key.sort));
      if (run.read.has(id) || run.after.has(id)) continue;
      const stories = concurrent.get(term) ?? new Set();
      stories.add(entry.key.sort);
      concurrent.set(term, stories);
    }
  });
  const met = new Set<string>();
  const again = new Set<string>();
  for (const [storyId, terms] of founded) {
    const others = new Set(terms.flatMap((t) => [...(concurrent.get(t) ?? [])]));
    if (others.size === 0) continue;
    again.add(storyId);
    for (const other of others) met.add(other);
  }
  const articles = articleIds.filter((id) => {
    const item = run.after.get(engineItemId({ partition: `article#${id}`, sort: '' }))?.value as
      | ArticleItem
      | undefined;
    return (
      item?.article.storyId !== undefined && item.article.storyId !== null && again.has(item.article.storyId)
    );
  });
  return {
    articleIds: articles,
    stories: [...again, ...met].map(storyKey),
    listed: partitions.length,
  };
}
