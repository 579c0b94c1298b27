/**
 * A batch's document-frequency increments as one item (README "Item-level state"): DynamoDB bills a write
 * per item and per 1 KB, so one ADD per distinct term (hundreds per article on wire copy) costs a write
 * unit each, while the same increments listed in one item cost about a unit per kilobyte of them. Each
 * batch puts its increments under the `dfdeltas` partition, after its item writes have landed (where its
 * counter ADDs used to go, so a crash loses them at worst, never applies them twice); a reader adds the
 * listed deltas to the counters it read; and once enough deltas pile up, a batch folds them into the
 * terms' counters, one ADD per distinct term of all of them.
 *
 * A fold deletes each delta (conditioned on its version, so two folders never both take one) before it
 * adds the deltas it took: a fold that dies between the two loses those increments, never counts them
 * twice. A reader lists the deltas after it read the counters, so a fold that runs in between can make it
 * count a delta neither in the counters nor in the list (a moment's undercount), never in both.
 */
import { randomUUID } from 'node:crypto';
import { ConcurrentWriteError } from '../core/errors.ts';
import { DF_SORT, dfKey } from '../core/stories/item-keys.ts';
import type { ReadItem } from '../core/stories/story-items.ts';
import { type ItemKey, type ItemStore, itemKeyId, type StoredItem } from '../ports.ts';
import { type ItemChangeSet, writeChanges } from './item-batch.ts';

export const FREQUENCY_DELTAS_PARTITION = 'dfdeltas';
/** Deltas a batch leaves listed before it folds them: each batch lists them all, so they stay few. */
export const DEFAULT_DELTAS_BEFORE_FOLD = 64;

/** A delta item's value: each term with its increment (pairs, so no term can name an object's property). */
export interface FrequencyDelta {
  readonly terms: readonly (readonly [string, number])[];
}

type Counts = NonNullable<ItemChangeSet['counts']>;

const termOf = (key: ItemKey): string | null =>
  key.sort === DF_SORT && key.partition.startsWith('term#') ? key.partition.slice('term#'.length) : null;

/**
 * A change set's counter increments split into the terms' document frequencies, as one delta item to
 * put (null when there are none), and the other counters (the corpus counts), still as increments.
 */
export function frequencyDelta(counts: Counts): {
  readonly delta: { readonly key: ItemKey; readonly value: FrequencyDelta } | null;
  readonly others: Counts;
} {
  const terms: [string, number][] = [];
  const others: Counts[number][] = [];
  for (const count of counts) {
    const term = termOf(count.key);
    const { df, ...rest } = count.deltas;
    if (term === null || df === undefined || Object.keys(rest).length > 0) others.push(count);
    else terms.push([term, df]);
  }
  const delta =
    terms.length === 0
      ? null
      : { key: { partition: FREQUENCY_DELTAS_PARTITION, sort: randomUUID() }, value: { terms } };
  return { delta, others };
}

/**
 * Adds the listed deltas to the document frequencies among `found` that `keys` asked for (a term whose
 * counter is not stored yet gets one, at version 0 like every counter). Returns how many deltas are listed.
 */
export async function addListedDeltas(
  store: ItemStore,
  keys: readonly ItemKey[],
  found: Map<string, ReadItem>,
): Promise<number> {
  const asked = new Set(keys.map(termOf).filter((t) => t !== null));
  if (asked.size === 0) return 0;
  const deltas = await store.listPartition(FREQUENCY_DELTAS_PARTITION, { consistent: false });
  for (const delta of deltas)
    for (const [term, increment] of (delta.value as FrequencyDelta).terms) {
      if (!asked.has(term)) continue;
      const key = dfKey(term);
      const id = itemKeyId(key);
      const df = ((found.get(id)?.value as { df?: number } | undefined)?.df ?? 0) + increment;
      found.set(id, { key, value: { df }, version: 0 });
    }
  return deltas.length;
}

/**
 * Folds the listed deltas into the terms' counters when at least `atLeast` are listed: takes each by a
 * conditional delete (one another folder took first is skipped), then adds their sums, one ADD per term.
 * `expiresAt` becomes the counters' expiry. Returns how many deltas it folded, and its writes.
 */
export async function foldFrequencyDeltas(
  store: ItemStore,
  atLeast: number,
  expiresAt: number | null,
): Promise<{ readonly folded: number; readonly writes: number }> {
  const listed = await store.listPartition(FREQUENCY_DELTAS_PARTITION);
  if (listed.length < atLeast || listed.length === 0) return { folded: 0, writes: 0 };
  const taken: StoredItem[] = [];
  const failures: unknown[] = [];
  await Promise.all(
    listed.map(async (delta) => {
      try {
        await store.delete(delta.key, delta.version);
        taken.push(delta);
      } catch (error) {
        if (!(error instanceof ConcurrentWriteError)) failures.push(error);
      }
    }),
  );
  const sums = new Map<string, number>();
  for (const delta of taken)
    for (const [term, increment] of (delta.value as FrequencyDelta).terms)
      sums.set(term, (sums.get(term) ?? 0) + increment);
  const counts: Counts[number][] = [];
  for (const [term, df] of sums)
    if (df !== 0)
      counts.push({ key: dfKey(term), deltas: { df }, ...(expiresAt === null ? {} : { expiresAt }) });
  // What was taken is added even when taking the rest failed: a taken delta not added is lost.
  await writeChanges(store, { puts: [], deletes: [], counts }, () => 0);
  if (failures.length > 0) throw failures[0];
  return { folded: taken.length, writes: listed.length + counts.length };
}
