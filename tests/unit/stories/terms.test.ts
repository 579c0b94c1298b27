import { describe, expect, it } from 'vitest';
import {
  articleTermVector,
  repeatsBody,
  type TermVector,
  TITLE_SHARE,
} from '../../../functions/core/stories/terms.ts';

function dot(a: TermVector, b: TermVector): number {
  let s = 0;
  for (const [t, w] of a) s += w * (b.get(t) ?? 0);
  return s;
}

const norm = (v: TermVector): number => Math.sqrt(dot(v, v));

/** A body of `n` sentences about unrelated page furniture, each with its own words. */
function junkBody(prefix: string, n: number): string {
  return Array.from(
    { length: n },
    (_, i) => `${prefix}widget${i} ${prefix}gadget${i} panel${prefix}${i}.`,
  ).join(' ');
}

describe('articleTermVector: the headline share', () => {
  it('is a unit vector with or without a title, and with an empty body', () => {
    expect(
      norm(articleTermVector('Quake hits Peru coast', 'Rescuers searched rubble on Tuesday.', null)),
    ).toBeCloseTo(1);
    expect(norm(articleTermVector(null, 'Rescuers searched rubble on Tuesday.', null))).toBeCloseTo(1);
    expect(norm(articleTermVector('Quake hits Peru coast', '', null))).toBeCloseTo(1);
  });

  it('without a title is the body alone', () => {
    const v = articleTermVector(null, 'Rescuers searched rubble in Lima on Tuesday.', null);
    expect(v.has('rescuer')).toBe(true);
    expect([...v.keys()].some((t) => t.startsWith('quake'))).toBe(false);
  });

  it('keeps the headline heard however long the body: two pages with one headline and unrelated bodies', () => {
    const title = 'Magnitude 7 quake strikes Peru coast near Arequipa';
    for (const n of [3, 30, 300]) {
      const a = articleTermVector(title, junkBody('a', n), null);
      const b = articleTermVector(title, junkBody('b', n), null);
      // The bodies share nothing, so the whole cosine is the headline's share, whatever the length.
      expect(dot(a, b)).toBeGreaterThan(TITLE_SHARE * 0.9);
      expect(dot(a, b)).toBeLessThan(TITLE_SHARE * 1.1);
    }
  });

  it('lets the body, not the headline, decide: same-topic headlines over different events stay far apart', () => {
    const a = articleTermVector(
      'North Korea fires missile',
      'The missile flew over Hokkaido and fell into the Pacific, Tokyo said. Sirens sounded in Sapporo.',
      null,
    );
    const b = articleTermVector(
      'North Korea fires missile',
      'Seoul said the rocket landed in the Yellow Sea after a short flight. Drills near Incheon went on.',
      null,
    );
    expect(dot(a, b)).toBeLessThan(0.5);
  });
});

describe('articleTermVector: a description that copies the body', () => {
  const TITLE = 'Gorilla killed after boy falls into zoo enclosure';
  const TEXT =
    'Zoo officials in Cincinnati shot a gorilla on Saturday after a four-year-old boy fell into its enclosure. ' +
    'The boy was treated at a hospital and released. Officials said the animal posed a threat to the child.';

  it('adds nothing when it is the body’s first sentence cut short', () => {
    const copy = `${TEXT.slice(0, 90)}...`;
    expect(repeatsBody(copy, TEXT)).toBe(true);
    expect(articleTermVector(TITLE, TEXT, copy)).toEqual(articleTermVector(TITLE, TEXT, null));
  });

  it('still counts a standfirst of its own', () => {
    const standfirst =
      'The killing of Harambe, a rare western lowland gorilla, has set off a debate over zoos.';
    expect(repeatsBody(standfirst, TEXT)).toBe(false);
    expect(articleTermVector(TITLE, TEXT, standfirst).get('harambe')).toBeGreaterThan(0);
  });

  it('counts a description too short to tell a copy from a shared phrase', () => {
    expect(repeatsBody('Zoo officials in Cincinnati', TEXT)).toBe(false);
  });
});
