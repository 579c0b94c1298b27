/**
 * The engine's serialised state: articles, stories, duplicate fingerprints and the cluster index.
 * Everything derived (reverse maps) is rebuilt on load; everything order- or history-dependent is
 * stored, so fromState(toState()) behaves exactly like the engine that wrote it.
 */
import { NewsDigestError } from '../errors.ts';
import type { DateSource, Day, Disagreement, FoundDate, KeyFigure, SummarySentence } from '../types.ts';
import type { SerialisedClusterIndex, SerialisedClusterIndexV2 } from './cluster.ts';

/**
 * Bump when the layout changes; states this build cannot read are refused with a clear message rather
 * than misread. Version 3 names cluster terms by their position in one stored term table.
 */
export const STATE_VERSION = 3;
/** Older layouts this build still reads (and rewrites in the current one on the next commit). */
const READABLE_VERSIONS: readonly number[] = [2, STATE_VERSION];

export interface ArticleState {
  source: string;
  id: string;
  title: string | null;
  text: string;
  url: string | null;
  outlet: string | null;
  description: string | null;
  date: FoundDate | null;
  arrivedAt: string;
  /** Hash of everything the engine read from the input: the same source with the same hash is 'unchanged'. */
  versionHash: string;
  /** Exact-duplicate key of the body (fingerprint.ts contentHash). */
  contentHash: string | null;
  /**
   * LSH band keys of an original's MinHash signature (empty for duplicates and rejections). Stored so
   * that the band buckets are rebuilt on load and an article is unindexed without re-hashing its text.
   */
  lsh: number[];
  storyId: string | null;
  /**
   * The names an original gives (terms.ts NameEvidence), which a story must share to take it. Stored,
   * so that a story's names are gathered after a restart without reading every member's text again;
   * absent in states written before names were kept, and then read from the text when first needed.
   */
  names?: readonly string[];
  /** Article id of the first-seen article this one repeats. */
  duplicateOf: string | null;
  similarity: number | null;
  rejected: string | null;
}

export interface StoryState {
  id: string;
  /** Member (non-duplicate) article ids, in join order. */
  members: string[];
  /** Duplicate article ids attached to this story, in arrival order. */
  duplicates: string[];
  /** Dated members' days with counts (metadata/text dates); the story's day is the earliest. */
  dateCounts: [Day, number][];
  /** Arrival day of the founding member: the day of a story none of whose members is dated. */
  arrivalDay: Day;
  /** Summary pool: the members closest to the centroid at join time, [articleId, cosine], bounded. */
  pool: [string, number][];
  headline: string;
  summary: SummarySentence[];
  figures: KeyFigure[];
  disagreements: Disagreement[];
  followUpTo: string | null;
}

export interface EngineState {
  version: typeof STATE_VERSION;
  articles: ArticleState[];
  stories: StoryState[];
  /** Exact content hash -> original article id. */
  hashes: [string, string][];
  cluster: SerialisedClusterIndex;
  changedDays: Day[];
}

/** A stored state as read: the current layout, or an older one `fromState` still understands. */
export interface StoredEngineState extends Omit<EngineState, 'version' | 'cluster'> {
  version: number;
  cluster: SerialisedClusterIndex | SerialisedClusterIndexV2;
}

export type { DateSource };

/** Checks the outer shape and version of a stored state; throws a NewsDigestError saying what to do. */
export function validateState(state: unknown): StoredEngineState {
  if (typeof state !== 'object' || state === null) {
    throw new NewsDigestError(
      'Stored newsroom state is not an object: delete the state file to rebuild it from the inputs.',
    );
  }
  const s = state as Partial<StoredEngineState>;
  if (!READABLE_VERSIONS.includes(s.version as number)) {
    throw new NewsDigestError(
      `Stored newsroom state has version ${String(s.version)}, this build reads version ${STATE_VERSION}: delete the state file and re-run the inputs.`,
    );
  }
  const arrays: (keyof StoredEngineState)[] = ['articles', 'stories', 'hashes', 'changedDays'];
  for (const key of arrays) {
    if (!Array.isArray(s[key])) {
      throw new NewsDigestError(
        `Stored newsroom state is corrupt (${key} is missing): delete it and re-run the inputs.`,
      );
    }
  }
  const c = s.cluster as Partial<SerialisedClusterIndex> | undefined;
  if (
    !c ||
    typeof c.docs !== 'number' ||
    !Array.isArray(c.df) ||
    !Array.isArray(c.stories) ||
    !Array.isArray(c.postings)
  ) {
    throw new NewsDigestError(
      'Stored newsroom state is corrupt (cluster index is missing): delete it and re-run the inputs.',
    );
  }
  for (const a of s.articles as unknown[]) {
    const art = a as Partial<ArticleState>;
    if (
      typeof art?.source !== 'string' ||
      typeof art.id !== 'string' ||
      typeof art.text !== 'string' ||
      !Array.isArray(art.lsh)
    ) {
      throw new NewsDigestError(
        'Stored newsroom state is corrupt (an article lacks source/id/text): delete it and re-run the inputs.',
      );
    }
  }
  for (const st of s.stories as unknown[]) {
    const story = st as Partial<StoryState>;
    if (typeof story?.id !== 'string' || !Array.isArray(story.members) || !Array.isArray(story.pool)) {
      throw new NewsDigestError(
        'Stored newsroom state is corrupt (a story lacks id/members): delete it and re-run the inputs.',
      );
    }
  }
  return s as StoredEngineState;
}
