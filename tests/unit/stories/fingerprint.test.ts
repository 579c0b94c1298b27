import { describe, expect, it } from 'vitest';
import {
  contentHash,
  lshKeys,
  minHash,
  nearDuplicateVerdict,
  shingleSet,
} from '../../../functions/core/stories/fingerprint.ts';
import { loadSeeds, reprintOf000 } from './seed-loader.ts';

describe('fingerprints', () => {
  const seeds = loadSeeds();
  it('hashes text independent of case, spacing and punctuation', () => {
    expect(contentHash('Hello,  World!\n')).toBe(contentHash('hello world'));
    expect(contentHash('hello world')).not.toBe(contentHash('hello there world'));
  });
  it('finds the reprint of 000 as a near duplicate, and a shared LSH bucket', () => {
    const a = shingleSet(seeds[0]!.article.text);
    const b = shingleSet(reprintOf000(seeds[0]!.article).text);
    expect(nearDuplicateVerdict(a, b).duplicate).toBe(true);
    const ka = new Set(lshKeys(minHash(a)));
    expect(lshKeys(minHash(b)).some((k) => ka.has(k))).toBe(true);
  });
  it('does not call two outlets reporting the same event duplicates', () => {
    const [s0, s1, s2] = seeds;
    expect(nearDuplicateVerdict(shingleSet(s0!.article.text), shingleSet(s1!.article.text)).duplicate).toBe(
      false,
    );
    expect(nearDuplicateVerdict(shingleSet(s1!.article.text), shingleSet(s2!.article.text)).duplicate).toBe(
      false,
    );
  });
  it('treats a trimmed-tail copy as a duplicate via containment', () => {
    const text = seeds[0]!.article.text;
    const trimmed = text.split('\n\n').slice(0, 12).join('\n\n');
    expect(nearDuplicateVerdict(shingleSet(text), shingleSet(trimmed)).duplicate).toBe(true);
  });
});
