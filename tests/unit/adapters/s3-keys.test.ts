/** Quarantine keys stay below quarantine/ even when an input key carries `.` or `..` segments. */
import { describe, expect, it } from 'vitest';
import { withoutDotSegments } from '../../../functions/adapters/s3-digest-store.ts';

describe('withoutDotSegments', () => {
  it('drops dot segments and empty segments but keeps the rest of the key', () => {
    expect(withoutDotSegments('../../escape.png')).toBe('escape.png');
    expect(withoutDotSegments('a/./b/../c.txt')).toBe('a/b/c.txt');
    expect(withoutDotSegments('news//wire copy+1.txt')).toBe('news/wire copy+1.txt');
    expect(withoutDotSegments('..hidden..name.txt')).toBe('..hidden..name.txt');
  });
});
