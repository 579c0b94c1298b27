import { describe, expect, it } from 'vitest';
import type { SerialisedClusterIndex } from '../../../functions/core/stories/cluster.ts';
import { STATE_VERSION } from '../../../functions/core/stories/state.ts';
import { StoryEngine } from '../../../functions/core/stories/story-engine.ts';
import { loadSeeds } from './seed-loader.ts';

const ARRIVED = new Date('2026-01-15T10:00:00Z');

/** The version-2 layout of a stored index: every term written out by its text. */
function asVersion2(cluster: SerialisedClusterIndex) {
  const term = (p: number): string => cluster.terms[p]!;
  return {
    docs: cluster.docs,
    df: cluster.terms.map((t, p) => [t, cluster.df[p]!]),
    stories: cluster.stories.map(([id, size, terms, sums, profile, weights, norm]) => [
      id,
      size,
      terms.map(term),
      sums,
      profile.map(term),
      weights,
      norm,
    ]),
    postings: cluster.postings.map(([p, ids]) => [term(p), ids]),
  };
}

describe('stored state layouts', () => {
  it('names each cluster term once and reads a version-2 state (terms by text) into the same engine', () => {
    const [first, ...rest] = loadSeeds();
    const room = StoryEngine.empty();
    room.ingest({ source: first!.source, article: first!.article, arrivedAt: ARRIVED });
    const current = room.toState();
    expect(current.version).toBe(STATE_VERSION);
    expect(new Set(current.cluster.terms).size).toBe(current.cluster.terms.length);
    const old = JSON.parse(JSON.stringify({ ...current, version: 2, cluster: asVersion2(current.cluster) }));

    const upgraded = StoryEngine.fromState(old);
    const continued = StoryEngine.fromState(JSON.parse(JSON.stringify(current)));
    expect(upgraded.toState()).toEqual(continued.toState());
    // And both go on to place the remaining seeds identically.
    for (const seed of rest) {
      upgraded.ingest({ source: seed.source, article: seed.article, arrivedAt: ARRIVED });
      continued.ingest({ source: seed.source, article: seed.article, arrivedAt: ARRIVED });
    }
    expect(upgraded.days().map((d) => upgraded.digest(d))).toEqual(
      continued.days().map((d) => continued.digest(d)),
    );
  });

  it('refuses a stored term position outside the term table with the corrupt-state message', () => {
    const [first] = loadSeeds();
    const room = StoryEngine.empty();
    room.ingest({ source: first!.source, article: first!.article, arrivedAt: ARRIVED });
    const state = JSON.parse(JSON.stringify(room.toState()));
    state.cluster.postings.push([state.cluster.terms.length + 5, ['s-missing']]);
    expect(() => StoryEngine.fromState(state)).toThrow(/corrupt/);
  });
});
