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
 * count a delta neither in the counters nor in the list (a moment's undercount), never in both. A batch
 * lists them once for all its read rounds (FrequencyDeltaReader), so a later round reads its counters
 * after the listing; a fold counts itself (FOLDS_KEY) between its deletes and its adds, and a later round
 * that finds the count moved since the listing lists again.
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
 * A counter item a fold adds one to after it took its deltas and before it adds them: a reader that reads
 * the same count before a listing and after its counters knows no fold added a listed delta in between.
 */
export const FOLDS_KEY: ItemKey = { partition: 'dffolds', sort: '' };

const foldsOf = (item: StoredItem | undefined): number =>
  (item?.value as { folds?: number } | undefined)?.folds ?? 0;

/** The terms whose document frequency `keys` ask for. */
const termsAsked = (keys: readonly ItemKey[]): Set<string> =>
  new Set(keys.map(termOf).filter((t) => t !== null));

/**
 * Adds `deltas` to the document frequencies of `asked` among `found` (a term whose counter is not stored
 * yet gets one, at version 0 like every counter).
 */
function addDeltas(
  deltas: readonly StoredItem[],
  asked: ReadonlySet<string>,
  found: Map<string, ReadItem>,
): void {
  for (const delta of deltas)
    for (const [term, increment] of (delta.value as FrequencyDelta).terms) {
      if (!asked.has(term)) continue;
      const key = dfKey(term);
      const id = itemKeyId(key);
      const df = ((found.get(id)?.value as { df?: number } | undefined)?.df ?? 0) + increment;
      found.set(id, { key, value: { df }, version: 0 });
    }
}

/**
 * One commit attempt's view of the unfolded deltas, listed once for all its read rounds rather than once
 * per round (a listing reads up to DEFAULT_DELTAS_BEFORE_FOLD items of kilobytes each).
 *
 * The first read that asks for frequencies reads the fold count strongly with (before) its counters, then
 * lists the deltas after them: counters first, as the module comment says. A later read has its counters
 * read after that listing, so a fold in between could show a delta in both: it reads the fold count again
 * after its counters. A fold adds to the count after it took (deleted) its deltas and before it adds them,
 * so a delta in the listing whose increments a later counter shows was taken after the listing and added
 * before that counter read: its fold counted itself in between, and the count differs. Then the deltas are
 * listed again, after this read's counters, and that listing (with the count just read, which came before
 * it) serves the reads that follow. Same count: the cached listing is applied, and each counter is still
 * combined with no delta it already holds. A read of terms no listed delta names needs no check.
 */
export class FrequencyDeltaReader {
  #deltas: readonly StoredItem[] | null = null;
  /** The terms #deltas name. */
  #listedTerms = new Set<string>();
  /** The fold count read before #deltas were listed (null: not read, so the next read lists again). */
  #foldsBeforeListing: number | null = null;
  /** The fold count read along the counters of the read in progress, before its listing. */
  #foldsWithCounters: number | null = null;

  constructor(private readonly store: ItemStore) {}

  /** Deltas in the current listing (0 before any). */
  get listed(): number {
    return this.#deltas?.length ?? 0;
  }

  /**
   * The keys to read strongly with (or before) the counters of a read asking for `keys`: the fold count,
   * when nothing is listed yet and the read asks for a document frequency.
   */
  keysWithCounters(keys: readonly ItemKey[]): ItemKey[] {
    return this.#deltas === null && termsAsked(keys).size > 0 ? [FOLDS_KEY] : [];
  }

  /** Takes the fold count, read with keysWithCounters' keys, out of what that read found. */
  takeFoldCount(found: Map<string, StoredItem>): void {
    const id = itemKeyId(FOLDS_KEY);
    this.#foldsWithCounters = foldsOf(found.get(id));
    found.delete(id);
  }

  /**
   * Adds the listed deltas to the document frequencies among `found` that `keys` asked for, once their
   * counters are read. Returns how many deltas are listed.
   */
  async addTo(keys: readonly ItemKey[], found: Map<string, ReadItem>): Promise<number> {
    const asked = termsAsked(keys);
    if (asked.size === 0) return 0;
    let foldsBefore = this.#foldsWithCounters;
    this.#foldsWithCounters = null;
    if (this.#deltas !== null) {
      // No listed delta names these terms: none can be in both (nor added at all).
      if (![...asked].some((term) => this.#listedTerms.has(term))) return this.#deltas.length;
      const folds = foldsOf((await this.store.getMany([FOLDS_KEY])).get(itemKeyId(FOLDS_KEY)));
      if (folds === this.#foldsBeforeListing) {
        addDeltas(this.#deltas, asked, found);
        return this.#deltas.length;
      }
      foldsBefore = folds;
    }
    this.#deltas = await this.store.listPartition(FREQUENCY_DELTAS_PARTITION, { consistent: false });
    this.#listedTerms = new Set();
    for (const delta of this.#deltas)
      for (const [term] of (delta.value as FrequencyDelta).terms) this.#listedTerms.add(term);
    this.#foldsBeforeListing = foldsBefore;
    addDeltas(this.#deltas, asked, found);
    return this.#deltas.length;
  }
}

/**
 * Folds the listed deltas into the terms' counters when at least `atLeast` are listed: takes each by a
 * conditional delete (one another folder took first is skipped), counts the fold (FOLDS_KEY), then adds
 * their sums, one ADD per term.
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
  // Counted after the deletes and before the adds (FrequencyDeltaReader); if counting fails, what was
  // taken is lost rather than added unseen by a reader that listed it.
  if (taken.length > 0) await store.addCounts(FOLDS_KEY, { folds: 1 });
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
  return { folded: taken.length, writes: listed.length + (taken.length > 0 ? 1 : 0) + counts.length };
}
