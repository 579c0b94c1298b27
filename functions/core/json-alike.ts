/**
 * Whether two values would serialise to the same JSON text, decided without building either text:
 * comparing a batch's items as read with the items after it is done for every item of its working set,
 * and stringifying both sides of each allocates as much as the working set itself.
 */

/** Raised inside the walk for a value whose text only JSON.stringify can tell (toJSON, a class instance). */
class NeedsText extends Error {}

/** Deeper than this, the values are compared as text (a cycle then throws as JSON.stringify does). */
const MAX_DEPTH = 200;

/** True for what JSON.stringify leaves out of an object and writes as null in an array. */
function unwritten(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/** True when JSON.stringify(a) === JSON.stringify(b). */
export function serialisesAlike(a: unknown, b: unknown): boolean {
  if (unwritten(a) || unwritten(b)) return JSON.stringify(a) === JSON.stringify(b);
  try {
    return alike(a, b, 0);
  } catch (error) {
    if (error instanceof NeedsText) return JSON.stringify(a) === JSON.stringify(b);
    throw error;
  }
}

/** `a` and `b` as written in an array or at the top (unwritten values already mapped to null). */
function alike(a: unknown, b: unknown, depth: number): boolean {
  if (typeof a === 'bigint' || typeof b === 'bigint') throw new NeedsText();
  if (a === b) return true;
  const x = typeof a === 'number' && !Number.isFinite(a) ? null : a;
  const y = typeof b === 'number' && !Number.isFinite(b) ? null : b;
  // An object's kind first: one with toJSON may well be written as the other side's primitive.
  const xArray = typeof x === 'object' && x !== null ? plainKind(x) : null;
  const yArray = typeof y === 'object' && y !== null ? plainKind(y) : null;
  if (xArray === null || yArray === null) return x === y;
  if (xArray !== yArray) return false;
  if (depth > MAX_DEPTH) throw new NeedsText();
  return xArray
    ? arraysAlike(x as readonly unknown[], y as readonly unknown[], depth)
    : objectsAlike(x as Record<string, unknown>, y as Record<string, unknown>, depth);
}

/** True for an array, false for a plain object; NeedsText for anything else. */
function plainKind(value: object): boolean {
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') throw new NeedsText();
  const proto = Object.getPrototypeOf(value);
  if (proto === Array.prototype) return true;
  if (proto === Object.prototype || proto === null) return false;
  throw new NeedsText();
}

function arraysAlike(a: readonly unknown[], b: readonly unknown[], depth: number): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (!alike(unwritten(x) ? null : x, unwritten(y) ? null : y, depth + 1)) return false;
  }
  return true;
}

/** Compares the written properties of both objects in order, as JSON.stringify writes them. */
function objectsAlike(a: Record<string, unknown>, b: Record<string, unknown>, depth: number): boolean {
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  let j = 0;
  for (let i = 0; i < aKeys.length; i++) {
    const key = aKeys[i] as string;
    const x = a[key];
    if (unwritten(x)) continue;
    let y: unknown;
    let other: string | undefined;
    do {
      other = bKeys[j++];
      if (other === undefined) return false;
      y = b[other];
    } while (unwritten(y));
    if (key !== other || !alike(x, y, depth + 1)) return false;
  }
  for (; j < bKeys.length; j++) if (!unwritten(b[bKeys[j] as string])) return false;
  return true;
}
