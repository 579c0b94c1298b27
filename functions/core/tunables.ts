/**
 * The tunables that were chosen by looking at evaluation figures, named in one place so the
 * evaluation can cross-validate them: it re-runs the real code with other values inside
 * `withTunables`, without threading a configuration through the engine's state or the extractor.
 * Each value's default and its reason stay beside the code that uses it (the exported constant named
 * on each field); with no override active, which is always the case in production, every reader gets
 * that default.
 */

export interface Tunables {
  /** stories/assign.ts JOIN_COSINE */
  readonly joinCosine: number;
  /** stories/assign.ts UNDATED_JOIN_COSINE */
  readonly undatedJoinCosine: number;
  /** stories/assign.ts JOIN_COSINE_PER_LOG_DAY */
  readonly joinCosinePerLogDay: number;
  /** stories/assign.ts MERGE_FACTOR */
  readonly mergeFactor: number;
  /** stories/terms.ts TITLE_SHARE */
  readonly titleShare: number;
  /** stories/terms.ts ENTITY_BONUS */
  readonly entityBonus: number;
  /** stories/term-vocabulary.ts IDF_POWER */
  readonly idfPower: number;
  /** stories/posting-index.ts TOPIC_TERM_DISCOUNT */
  readonly topicTermDiscount: number;
  /** stories/summarise.ts ARTICLE_REDUNDANCY_COSINE */
  readonly articleRedundancyCosine: number;
  /** stories/summarise.ts ARTICLE_MMR_LAMBDA */
  readonly articleMmrLambda: number;
  /** extract/html/filter.ts MAX_LINK_DENSITY */
  readonly maxLinkDensity: number;
  /** extract/html/filter.ts MAX_SHORT_LINK_DENSITY */
  readonly maxShortLinkDensity: number;
  /** extract/html/filter.ts SHORT_BLOCK_WORDS */
  readonly shortBlockWords: number;
  /** extract/html/filter.ts MIN_STOPWORD_DENSITY */
  readonly minStopwordDensity: number;
  /**
   * stories/figures.ts SUBJECT_WORDS: set before any figure was labelled, cross-validated on the labels
   * all the same. Read by extractFigures; articleFigures' cache holds production values only.
   */
  readonly figureSubjectWords: number;
  /** stories/figures.ts MODIFIER_LOOKAHEAD_WORDS (as figureSubjectWords) */
  readonly figureModifierLookaheadWords: number;
}

let active: Partial<Tunables> = {};

/** The overrides in force: empty outside `withTunables`. */
export function tunableOverrides(): Partial<Tunables> {
  return active;
}

/** Runs `run` with `overrides` in force, then restores the previous values; `run` must be synchronous. */
export function withTunables<T>(overrides: Partial<Tunables>, run: () => T): T {
  const previous = active;
  active = { ...previous, ...overrides };
  try {
    return run();
  } finally {
    active = previous;
  }
}
