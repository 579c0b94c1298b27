/** Checks both item stores make alike on their input (ItemStore.put and addCounts). */
import type { ItemKey } from '../ports.ts';

/** Keeps one counter update well inside DynamoDB's 4 KB update-expression limit. */
const MAX_COUNTERS_PER_CALL = 100;
const MAX_COUNTER_NAME_BYTES = 200;

/** Counter names and deltas, refused when they are not what a counter item can hold. */
export function checkedCounts(deltas: Readonly<Record<string, number>>): [string, number][] {
  const entries = Object.entries(deltas);
  if (entries.length > MAX_COUNTERS_PER_CALL) {
    throw new RangeError(
      `At most ${MAX_COUNTERS_PER_CALL} counters can be added to at once, not ${entries.length}.`,
    );
  }
  for (const [name, delta] of entries) {
    if (name === '' || Buffer.byteLength(name, 'utf8') > MAX_COUNTER_NAME_BYTES || !Number.isFinite(delta)) {
      throw new RangeError(
        `A counter needs a name of 1 to ${MAX_COUNTER_NAME_BYTES} bytes and a finite delta; "${name.slice(0, 40)}": ${delta} is not.`,
      );
    }
  }
  return entries;
}

/** Versions start at 1; 0 is a counter item's, which `put` must never overwrite. */
export function checkExpectedVersion(expected: number | null | 'any'): void {
  if (expected !== null && expected !== 'any' && !(Number.isInteger(expected) && expected >= 1)) {
    throw new RangeError(
      `An expected version is null (a new item), 'any' (an unversioned write) or a whole number from 1, not ${expected}.`,
    );
  }
}

export function notACounter(key: ItemKey): TypeError {
  return new TypeError(
    `Item ${key.partition}/${key.sort} is a versioned item, not a counter item: write it with put, not addCounts.`,
  );
}

export function aCounter(key: ItemKey): TypeError {
  return new TypeError(
    `Item ${key.partition}/${key.sort} is a counter item: change it with addCounts, not put.`,
  );
}
