import { describe, expect, it } from 'vitest';
import { serialisesAlike } from '../../../functions/core/json-alike.ts';

/** Each pair is judged as JSON.stringify judges it. */
const pairs: [unknown, unknown][] = [
  [
    { a: 1, b: [1, 2, { c: 'x' }] },
    { a: 1, b: [1, 2, { c: 'x' }] },
  ],
  [
    { a: 1, b: 2 },
    { b: 2, a: 1 },
  ],
  [{ a: 1 }, { a: 1, b: undefined }],
  [
    { a: 1, b: undefined, c: 2 },
    { a: 1, c: 2 },
  ],
  [{ a: 1, f: () => 1 }, { a: 1 }],
  [{ a: 1 }, { a: 1, b: null }],
  [
    [1, undefined, 3],
    [1, null, 3],
  ],
  [
    [1, () => 2],
    [1, null],
  ],
  [[Number.NaN], [null]],
  [[Number.POSITIVE_INFINITY], [Number.NaN]],
  [{ n: -0 }, { n: 0 }],
  [{ n: 1 }, { n: '1' }],
  [{ n: true }, { n: 'true' }],
  [[], {}],
  [{ a: [] }, { a: {} }],
  [
    [1, 2],
    [1, 2, 3],
  ],
  [{ a: { b: { c: [1, { d: 'e' }] } } }, { a: { b: { c: [1, { d: 'f' }] } } }],
  [{ d: new Date(0) }, { d: '1970-01-01T00:00:00.000Z' }],
  [{ d: new Date(0) }, { d: new Date(1) }],
  [{ m: new Map([[1, 2]]) }, { m: {} }],
  [{ t: new Float64Array([1, 2]) }, { t: { 0: 1, 1: 2 } }],
  [Object.create(null), {}],
  [undefined, undefined],
  [undefined, null],
  ['a', 'a'],
  [null, {}],
  [
    { a: 1, b: undefined },
    { a: 1, c: 2 },
  ],
  [
    { a: 1, c: 2 },
    { a: 1, b: undefined },
  ],
];

describe('serialisesAlike', () => {
  it.each(pairs)('agrees with JSON.stringify on %j and %j', (a, b) => {
    expect(serialisesAlike(a, b)).toBe(JSON.stringify(a) === JSON.stringify(b));
    expect(serialisesAlike(b, a)).toBe(JSON.stringify(b) === JSON.stringify(a));
  });

  it('throws on a cycle as JSON.stringify does', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    const b: Record<string, unknown> = {};
    b.self = b;
    expect(() => serialisesAlike(a, b)).toThrow(TypeError);
  });

  it('throws on a bigint as JSON.stringify does', () => {
    expect(() => serialisesAlike({ n: 1n }, { n: 1n })).toThrow(TypeError);
  });
});
