import { describe, expect, it } from 'vitest';
import {
  contentHash,
  jaccard,
  lshKeys,
  MINHASH_SIZE,
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

describe('one-permutation MinHash and LSH', () => {
  const seeds = loadSeeds();
  const edits: Record<string, (t: string) => string> = {
    rewordedHeader: (t) => `UPDATED from our wire desk\n\n${t}`,
    changedLine: (t) => {
      const lines = t.split('\n\n');
      lines[Math.floor(lines.length / 2)] = 'A spokesperson declined to comment further on the matter.';
      return lines.join('\n\n');
    },
    addedBoilerplate: (t) =>
      `${t}\n\nSign up for our daily newsletter. Follow us on social media. All rights reserved.`,
    trimmedTail: (t) => {
      const lines = t.split('\n\n');
      return lines.slice(0, Math.ceil(lines.length * 0.75)).join('\n\n');
    },
  };
  it('puts every edited copy of every seed in a shared LSH bucket with its original', () => {
    for (const seed of seeds) {
      const original = new Set(lshKeys(minHash(shingleSet(seed.article.text))));
      for (const [name, edit] of Object.entries(edits)) {
        const keys = lshKeys(minHash(shingleSet(edit(seed.article.text))));
        expect(
          keys.some((k) => original.has(k)),
          `${seed.number} ${name}`,
        ).toBe(true);
      }
    }
  });
  it('gives two different outlets on the same event no shared bucket', () => {
    const a = new Set(lshKeys(minHash(shingleSet(seeds[0]!.article.text))));
    const b = lshKeys(minHash(shingleSet(seeds[1]!.article.text)));
    expect(b.some((k) => a.has(k))).toBe(false);
  });
  it('estimates Jaccard from matching signature positions', () => {
    const a = shingleSet(seeds[0]!.article.text);
    const b = shingleSet(reprintOf000(seeds[0]!.article).text);
    const sa = minHash(a);
    const sb = minHash(b);
    expect(sa).toHaveLength(MINHASH_SIZE);
    const matches = sa.filter((v, i) => v === sb[i]).length / MINHASH_SIZE;
    expect(Math.abs(matches - jaccard(a, b))).toBeLessThan(0.15);
    expect(minHash(a)).toEqual(sa);
  });
});
