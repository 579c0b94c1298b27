/**
 * The posting index: each story is entered under its profile's most distinctive terms, so a new
 * article meets candidate stories through the terms it shares with them, scored roughly by shared
 * rare terms, and only the best few get an exact cosine.
 */

import { tunableOverrides } from '../tunables.ts';
import type { TermVocabulary } from './term-vocabulary.ts';
import { grown, rankTop } from './top-ranking.ts';

/** Profile terms entered into the index: the story's most distinctive words. */
export const INDEX_TERMS = 60;
/** Article terms looked up in the index. */
export const QUERY_TERMS = 30;
/** Stories kept per index term, most recently entered last: a term shared by more is too common to find an event by. */
export const MAX_POSTINGS_PER_TERM = 32;
/** Candidate stories that get an exact cosine after the rough shared-term score. */
export const MAX_EXACT_CANDIDATES = 12;

/**
 * Whether a query may meet a story: null when the batch has not read the story yet, so nobody knows.
 * An unknown story is never returned as a candidate; the run that met it is run again once it is read.
 */
export type Eligibility = (storyId: string) => boolean | null;
/**
 * A term's weight is divided by 1 + this × ln(stories indexed under it): document frequency cannot
 * tell an event's words from its topic's, how many stories a term indexes can. Mild on purpose.
 */
export const TOPIC_TERM_DISCOUNT = 0.25;

const VERDICT_NO = 0;
const VERDICT_YES = 1;
const VERDICT_UNKNOWN = 2;

export class PostingIndex {
  /**
   * Story ids as small integer handles, so posting lists and rough scores are arrays of numbers. A
   * story id keeps its handle while the process lives (a re-created story gets its old one back).
   */
  readonly handles = new Map<string, number>();
  readonly storyIds: string[] = [];
  /** Posting lists by term id: handles of the stories indexed under the term, earliest entered first. */
  readonly postings: (number[] | undefined)[] = [];
  /**
   * When each posting entered its list (parallel to `postings`, ascending): a store that keeps one item
   * per entry restores the lists' order from it, so no entry is rewritten while its story stays indexed.
   */
  readonly stamps: (number[] | undefined)[] = [];
  /** The last entry stamp given. */
  clock = 0;
  /** Each list's creation number, so the stored index lists terms in creation order. */
  readonly postingOrder: number[] = [];
  postingsCreated = 0;
  /** Rough scores by story handle for one query, valid where the stamp is the current query's. */
  private rough = new Float64Array(256);
  private roughStamps = new Int32Array(256);
  private roughQuery = 0;
  /** The `eligible` verdict on each story handle met during one query (valid where stamped with it). */
  private eligibleStamps = new Int32Array(256);
  /** VERDICT_NO, VERDICT_YES or VERDICT_UNKNOWN, by story handle. */
  private eligibleVerdicts = new Uint8Array(256);
  private storyScores = new Float64Array(256);

  constructor(private readonly vocabulary: TermVocabulary) {}

  /** The handle of a story id, assigning the next one to a new id. */
  handleOf(storyId: string): number {
    let h = this.handles.get(storyId);
    if (h === undefined) {
      h = this.storyIds.length;
      this.handles.set(storyId, h);
      this.storyIds.push(storyId);
      if (h >= this.rough.length) {
        const length = this.rough.length * 2;
        this.rough = grown(this.rough, length);
        this.roughStamps = grown(this.roughStamps, length);
        this.eligibleStamps = grown(this.eligibleStamps, length);
        this.eligibleVerdicts = grown(this.eligibleVerdicts, length);
      }
    }
    return h;
  }

  /** See TOPIC_TERM_DISCOUNT: 1 for a term that indexes at most one story. */
  topicDiscount(id: number): number {
    this.vocabulary.requireRead(id);
    const stories = this.postings[id]?.length ?? 0;
    return stories > 1
      ? 1 / (1 + (tunableOverrides().topicTermDiscount ?? TOPIC_TERM_DISCOUNT) * Math.log(stories))
      : 1;
  }

  /**
   * True when the term's posting list holds a story `eligible` accepts, or may accept: then the list's
   * stories not read yet are all asked about at once, so the next run does not learn them one by one.
   */
  private reachesEligible(id: number, eligible: Eligibility): boolean {
    const list = this.postings[id];
    if (!list) return false;
    let unknown = false;
    for (const h of list) {
      const verdict = this.verdictOf(h, eligible);
      if (verdict === VERDICT_YES) return true;
      if (verdict === VERDICT_UNKNOWN) unknown = true;
    }
    return unknown;
  }

  /** `eligible` for a story handle, asked once per query (the stamp is the current query's). */
  private verdictOf(h: number, eligible: Eligibility): number {
    if (this.eligibleStamps[h] !== this.roughQuery) {
      this.eligibleStamps[h] = this.roughQuery;
      const verdict = eligible(this.storyIds[h]!);
      this.eligibleVerdicts[h] = verdict === null ? VERDICT_UNKNOWN : verdict ? VERDICT_YES : VERDICT_NO;
    }
    return this.eligibleVerdicts[h]!;
  }

  /**
   * Stories worth an exact comparison, best rough score first. `eligible` applies time proximity.
   * The query's weights are in the vocabulary's scratch array, at the ids in `ids`.
   */
  candidatesOf(ids: Int32Array, eligible: Eligibility): string[] {
    const vocabulary = this.vocabulary;
    // One stamp per query marks both the rough scores and the eligibility verdicts it has written;
    // `eligible` reads engine state that does not change while a query runs.
    const stamp = ++this.roughQuery;
    // Only terms some story is indexed under can find a candidate, so never-seen words cannot crowd out shared ones.
    const { ids: terms, scores: weights } = vocabulary.work(ids.length);
    let m = 0;
    for (const id of ids) {
      if (this.postings[id] === undefined) continue;
      terms[m] = id;
      weights[m] = vocabulary.scratch[id]!;
      m++;
    }
    // A term counts only if it reaches an eligible story, or a story queried with its own profile
    // (follow-up links) would fill every slot with its own terms; checked best term first, and only
    // until QUERY_TERMS are kept, so the stories of lower terms' lists are not read to be asked about.
    let queryTerms = vocabulary.topTerms(terms, weights, m, QUERY_TERMS);
    if (!queryTerms.every((p) => this.reachesEligible(terms[p]!, eligible))) {
      const kept: number[] = [];
      for (const p of vocabulary.topTerms(terms, weights, m, m)) {
        if (!this.reachesEligible(terms[p]!, eligible)) continue;
        if (kept.push(p) === QUERY_TERMS) break;
      }
      queryTerms = Int32Array.from(kept);
    }
    const met: number[] = [];
    for (const p of queryTerms) {
      const id = terms[p]!;
      const list = this.postings[id];
      if (!list) continue;
      // The article's TF-IDF weight times IDF again: a shared rare name counts far more than a shared common word.
      const w = weights[p]! * vocabulary.idfOf(id);
      for (const h of list) {
        if (this.roughStamps[h] !== stamp) {
          this.roughStamps[h] = stamp;
          this.rough[h] = 0;
          met.push(h);
        }
        this.rough[h]! += w;
      }
    }
    // Eligibility is checked on the best few first, so ranking does not grow with a busy day's lists.
    const best = this.topStories(met, MAX_EXACT_CANDIDATES);
    if (best.every((storyId) => this.verdictOf(this.handles.get(storyId)!, eligible) === VERDICT_YES))
      return best;
    return this.bestEligible(met, MAX_EXACT_CANDIDATES, eligible);
  }

  /**
   * The `n` best eligible stories of `handles`, as ranking only the eligible ones would give them: the
   * ranking is walked best first, in windows that double, so a story far down a busy day's lists is
   * never asked about (nor read for it). A window with stories not read yet ends the walk: they are
   * read together, and the next run walks on from there with them known.
   */
  private bestEligible(handles: readonly number[], n: number, eligible: Eligibility): string[] {
    for (let depth = 2 * n; ; depth *= 2) {
      const chosen: string[] = [];
      let unknown = false;
      for (const storyId of this.topStories(handles, Math.min(depth, handles.length))) {
        const verdict = this.verdictOf(this.handles.get(storyId)!, eligible);
        if (verdict === VERDICT_UNKNOWN) unknown = true;
        else if (verdict === VERDICT_YES && chosen.push(storyId) === n) return chosen;
      }
      if (unknown || depth >= handles.length) return chosen;
    }
  }

  /** The ids of the `n` stories of `handles` with the best rough scores (ties by story id). */
  private topStories(handles: readonly number[], n: number): string[] {
    if (handles.length > this.storyScores.length)
      this.storyScores = new Float64Array(Math.max(handles.length, this.storyScores.length * 2));
    const scores = this.storyScores;
    for (let i = 0; i < handles.length; i++) scores[i] = this.rough[handles[i]!]!;
    const ids = this.storyIds;
    const order = rankTop(scores, handles.length, n, (a, b) => {
      const sa = ids[handles[a]!]!;
      const sb = ids[handles[b]!]!;
      return sa < sb ? -1 : sa > sb ? 1 : 0;
    });
    return Array.from(order, (p) => ids[handles[p]!]!);
  }

  /**
   * Indexes the story under its profile's first INDEX_TERMS terms: a term it was not indexed under gets
   * it at the most-recent end of its list, evicting the earliest entry past the bound; the others keep
   * their place. `previous` is the profile it was indexed with: its terms the new one drops are left.
   */
  reindex(storyId: string, previous: readonly number[], profile: readonly number[]): void {
    const n = Math.min(INDEX_TERMS, profile.length);
    const kept = new Set<number>();
    for (let i = 0; i < n; i++) kept.add(profile[i]!);
    this.unindex(storyId, previous, kept);
    const h = this.handleOf(storyId);
    for (let i = 0; i < n; i++) {
      const id = profile[i]!;
      this.vocabulary.requireRead(id);
      let list = this.postings[id];
      let stamps = this.stamps[id];
      if (!list || !stamps) {
        list = [];
        stamps = [];
        this.postings[id] = list;
        this.stamps[id] = stamps;
        this.postingOrder[id] = this.postingsCreated++;
      }
      if (list.includes(h)) continue;
      list.push(h);
      stamps.push(++this.clock);
      if (list.length > MAX_POSTINGS_PER_TERM) {
        list.shift();
        stamps.shift();
      }
    }
  }

  /** Takes the story out of its index terms' posting lists (but those in `keep`). */
  unindex(storyId: string, profile: readonly number[], keep?: ReadonlySet<number>): void {
    const h = this.handles.get(storyId);
    if (h === undefined) return;
    const n = Math.min(INDEX_TERMS, profile.length);
    for (let i = 0; i < n; i++) {
      const id = profile[i]!;
      if (keep?.has(id)) continue;
      this.vocabulary.requireRead(id);
      const list = this.postings[id];
      if (!list) continue;
      const at = list.indexOf(h);
      if (at >= 0) {
        list.splice(at, 1);
        this.stamps[id]?.splice(at, 1);
      }
      if (list.length === 0) {
        this.postings[id] = undefined;
        this.stamps[id] = undefined;
      }
    }
  }

  /**
   * Restores a term's list from entries with their stamps, in any order: the MAX_POSTINGS_PER_TERM
   * latest (ties by story id), as concurrent writers may each have added one past the bound.
   */
  restore(id: number, entries: readonly (readonly [string, number])[]): void {
    const latest = [...new Map(entries)]
      .sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(-MAX_POSTINGS_PER_TERM);
    if (latest.length === 0) return;
    if (this.postings[id] === undefined) this.postingOrder[id] = this.postingsCreated++;
    this.postings[id] = latest.map(([storyId]) => this.handleOf(storyId));
    this.stamps[id] = latest.map(([, stamp]) => stamp);
    for (const [, stamp] of latest) if (stamp > this.clock) this.clock = stamp;
  }
}
