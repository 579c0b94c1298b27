/**
 * Stores written before a term's document frequency moved into the term's partition (item-keys.ts
 * dfKey) hold it as a `df#<term>` counter, which the item path no longer reads: a local run moves
 * them, once per store, and marks the store so that later runs check one item, not the whole store.
 */
import { dfKey, LEGACY_DF_PREFIX } from '../core/stories/item-keys.ts';
import type { ItemKey, WholeItemStore } from '../ports.ts';

/** Present once a store's frequencies are all in their terms' partitions. */
export const FREQUENCIES_MOVED_KEY: ItemKey = { partition: 'layout#df-in-term-partition', sort: '' };

/**
 * Adds each `df#<term>` counter to the term's own (an item-path run before this one may have counted
 * there already) and deletes it, in one transaction, then marks the store.
 */
export async function moveLegacyFrequencies(items: WholeItemStore): Promise<void> {
  if ((await items.getMany([FREQUENCIES_MOVED_KEY])).size > 0) return;
  await items.inTransaction(async () => {
    for (const item of await items.allItems()) {
      if (!item.key.partition.startsWith(LEGACY_DF_PREFIX)) continue;
      const term = item.key.partition.slice(LEGACY_DF_PREFIX.length);
      await items.addCounts(dfKey(term), item.value as Record<string, number>, item.expiresAt);
      await items.delete(item.key, 'any');
    }
    await items.put({ key: FREQUENCIES_MOVED_KEY, value: 1, expectedVersion: null });
  });
}
