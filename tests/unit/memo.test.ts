import { describe, expect, it } from 'vitest';
import { lruMemo } from '../../functions/core/memo.ts';

describe('lruMemo', () => {
  it('computes each key once while it is held, and evicts the least recently used beyond capacity', () => {
    const computed: string[] = [];
    const upper = lruMemo(2, (key: string) => {
      computed.push(key);
      return key.toUpperCase();
    });
    expect(upper('a')).toBe('A');
    expect(upper('b')).toBe('B');
    expect(upper('a')).toBe('A'); // held: not recomputed, and now the most recently used
    expect(upper('c')).toBe('C'); // evicts b, the least recently used
    expect(upper('a')).toBe('A');
    expect(upper('b')).toBe('B'); // b was evicted: computed again
    expect(computed).toEqual(['a', 'b', 'c', 'b']);
  });
});
