/**
 * Online same-event clustering. Each story keeps a centroid (the sum of its members' normalised
 * term vectors) and a profile: its highest-weighted terms. A new article is compared with story
 * centroids, never with every article: candidate stories come from an inverted index over the
 * profiles' top terms, scored roughly by shared terms, and only the best few get an exact cosine.
 * IDF comes from the running document frequencies of the state, with add-one smoothing.
 *
 * Terms are interned: every distinct term gets a small integer id once, and centroids, document
 * frequencies and postings are keyed by id. Comparisons then index arrays instead of hashing and
 * comparing strings, and a story's centroid holds numbers, not its own copies of term strings
 * (at 10k articles that was most of the engine's heap). The stored state still names terms by
 * their text, so ids never leave the process.
 */
import type { NumberedTermVector, PackedTermVector, TermTable, TermVector } from './terms.ts';

/** Terms of a story profile used in the cosine: bounds the comparison cost whatever the story size. */
export const PROFILE_TERMS = 200;
/** Profile terms entered into the inverted index: the story's most distinctive words. */
export const INDEX_TERMS = 60;
/** Article terms looked up in the inverted index. */
export const QUERY_TERMS = 30;
/**
 * Stories kept per index term (most recently touched first). Bounds lookup cost as the state grows:
 * a term shared by more than this many stories is too common to find an event by. Once a busy day
 * fills the lists, ranking costs QUERY_TERMS × this; 32 halved the cost of adding an article to a
 * 50k-article day against 64, with identical stories on the evaluation set and on a 10k corpus.
 */
export const MAX_POSTINGS_PER_TERM = 32;
/** Candidate stories that get an exact cosine after the rough shared-term score. */
export const MAX_EXACT_CANDIDATES = 12;
/**
 * A story's profile is fully re-ranked (over its whole centroid) when its size reaches a power of
 * two and then every this many additions; in between only the current profile and the new member's
 * terms compete, which is exact except for the slow drift of IDF, since only those sums grew.
 */
export const PROFILE_REFRESH_EVERY = 16;
/**
 * Terms a centroid keeps. A story's vocabulary grows with every member, but its long tail (words
 * one member used once) never reaches the profile; pruning it when the centroid exceeds
 * CENTROID_PRUNE_AT keeps memory and refresh cost per story bounded.
 */
export const CENTROID_KEEP_TERMS = 1000;
export const CENTROID_PRUNE_AT = 1500;

/**
 * Exponent applied to IDF. Above 1 it sharpens the contrast between event-specific words (names,
 * places, figures) and topic words shared by many stories; 1.5 separated same-event from
 * same-topic pairs best in our measurements without starving common-but-relevant words.
 */
export const IDF_POWER = 1.5;

/**
 * Document frequency cannot tell an event's words from its topic's: "Pyongyang" in forty reports of
 * one missile test and in forty reports spread over a missile test, an oil-smuggling case and a
 * peace overture weighs the same. How many stories a term indexes can: an article's term is
 * discounted by 1 + this × ln(stories indexed under it), so two events of one topic meet on their own
 * words rather than on the country and its leader. Mild on purpose: at the posting cap (32 stories)
 * a term keeps about half its weight, and a term of one story keeps all of it. Of 0.25, 0.5 and 1,
 * 0.25 was best in every arrival order of our clustering evaluation and on the seeds.
 */
export const TOPIC_TERM_DISCOUNT = 0.25;

/**
 * Centroid sums are kept in fixed point (weight × 2^20, rounded): additions and removals are then
 * exact integer arithmetic, so a member's removal leaves no residue, and the stored state is about
 * half as large as with full doubles. 2^-20 is far below any weight that matters (≥ 0.01).
 */
export const CENTROID_SCALE = 2 ** 20;

function quantise(w: number): number {
  return Math.round(w * CENTROID_SCALE);
}

/** An article's term vector with its terms interned: parallel arrays in the vector's own order. */
export interface InternedVector {
  readonly ids: Int32Array;
  readonly weights: Float64Array;
}

export interface StoryCentroid {
  /** Sum of the members' L2-normalised raw term vectors by term id, in fixed point (IDF applied at comparison time). */
  readonly sum: Map<number, number>;
  size: number;
  /** Ids of the top terms by mean weight × IDF when last refreshed, best first. */
  profile: number[];
  /**
   * The profile terms' centroid weights (sum × IDF) and their L2 norm, as of the story's last change:
   * a query then costs one lookup per profile term instead of recomputing IDF for every candidate.
   */
  weights: number[];
  norm: number;
}

/**
 * The stored index. Terms are written once, in `terms`, and everything else names them by their
 * position there: a story's centroid of a thousand terms then costs a thousand small numbers rather
 * than a thousand quoted words, which made up most of the stored state.
 */
export interface SerialisedClusterIndex {
  readonly docs: number;
  readonly terms: string[];
  /** Document frequency of each term, parallel to `terms`. */
  readonly df: number[];
  /** [id, size, centroid term positions, their fixed-point sums (parallel arrays), profile term positions, weights, norm] */
  readonly stories: [string, number, number[], number[], number[], number[], number][];
  /** [term position, story ids] */
  readonly postings: [number, string[]][];
}

/** The layout of state version 2, which named every term by its text; still read. */
export interface SerialisedClusterIndexV2 {
  readonly docs: number;
  readonly df: [string, number][];
  readonly stories: [string, number, string[], number[], string[], number[], number][];
  readonly postings: [string, string[]][];
}

export interface ScoredStory {
  readonly storyId: string;
  readonly cosine: number;
}

export class ClusterIndex {
  private docs = 0;
  /** Term text -> id, and back. Ids are never reused, so a term keeps its id while the process lives. */
  private readonly vocabulary = new Map<string, number>();
  private readonly terms: string[] = [];
  /** Document frequency by term id (0 for a term no held document uses). */
  private readonly df: number[] = [];
  private readonly stories = new Map<string, StoryCentroid>();
  /**
   * Story ids as small integer handles, so posting lists and rough scores are arrays of numbers
   * rather than sets and maps of strings. A story id keeps its handle while the process lives (a
   * re-created story gets its old handle back), so a handle means exactly what its id would.
   */
  private readonly handles = new Map<string, number>();
  private readonly storyIds: string[] = [];
  /**
   * Posting lists by term id: handles of the stories indexed under the term, least recently touched
   * first (undefined: the term has no list). `postingOrder` numbers each list when it is created, so
   * the stored index lists terms in creation order, as the Map it replaces did.
   */
  private readonly postings: (number[] | undefined)[] = [];
  private readonly postingOrder: number[] = [];
  private postingsCreated = 0;
  /** Rough scores by story handle for one query, valid where the stamp is the current query's. */
  private rough = new Float64Array(256);
  private roughStamps = new Int32Array(256);
  private roughQuery = 0;
  /**
   * The `eligible` verdict on each story handle met during one query (valid where the stamp is the
   * query's): a story indexed under many of the query's terms is asked about once. When nothing is
   * eligible (a story's follow-up search on the first day) every posting list is read to its end.
   */
  private eligibleStamps = new Int32Array(256);
  private eligibleVerdicts = new Uint8Array(256);
  /** Term-id marks for de-duplicating a profile's candidates, valid where equal to `markStamp`. */
  private marks = new Int32Array(1024);
  private markStamp = 0;
  /**
   * IDF by document frequency, memoised for the current document count: an entry is valid while its
   * stamp equals the count, so a new document invalidates the cache without clearing it.
   */
  private idfCache = new Float64Array(256);
  private idfStamps = new Int32Array(256).fill(-1);
  /**
   * Dense weights by term id of the vector being compared, zero everywhere else: a cosine against a
   * profile is then one array read per profile term. Cleared after every comparison.
   */
  private scratch = new Float64Array(1024);
  /**
   * Work lists of (term or story, score) pairs for ranking, reused and grown as needed: typed arrays
   * of this size live outside the JS heap, and allocating fresh ones for every query and profile
   * refresh raised the 10k-article run's peak RSS by some 80 MB.
   */
  private workIds = new Int32Array(1024);
  private workScores = new Float64Array(1024);
  private storyScores = new Float64Array(256);
  /**
   * A copy of the first scores of a work list for quickselect, which reorders what it reads. Reused:
   * a fresh copy per leave-one-out cosine was the engine's largest allocation (~0.2 GB per 10k articles).
   */
  private selection = new Float64Array(1024);
  /** Each TermTable's numbers' ids in this index, plus one (see internNumbered). */
  private readonly tableIds = new WeakMap<TermTable, Int32Array>();

  /** The first `n` of `scores`, copied into the reused selection buffer. */
  private selectionCopy(scores: Float64Array, n: number): Float64Array {
    if (n > this.selection.length) this.selection = new Float64Array(Math.max(n, this.selection.length * 2));
    this.selection.set(scores.subarray(0, n));
    return this.selection;
  }

  /** The work lists, at least `n` long. */
  private work(n: number): { ids: Int32Array; scores: Float64Array } {
    if (n > this.workIds.length) {
      const size = Math.max(n, this.workIds.length * 2);
      this.workIds = new Int32Array(size);
      this.workScores = new Float64Array(size);
    }
    return { ids: this.workIds, scores: this.workScores };
  }

  /** The handle of a story id, assigning the next one to a new id. */
  private handleOf(storyId: string): number {
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

  /** The id of a term, assigning the next one to a new term. */
  private idOf(term: string): number {
    let id = this.vocabulary.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.vocabulary.set(term, id);
      this.terms.push(term);
      this.df.push(0);
      if (id >= this.scratch.length) {
        this.scratch = grown(this.scratch, this.scratch.length * 2);
        this.marks = grown(this.marks, this.scratch.length);
      }
    }
    return id;
  }

  /**
   * intern for a vector numbered in a TermTable: each table number's id is looked up once per
   * index and then read from an array. The ids and weights are those intern gives.
   */
  internNumbered(vec: NumberedTermVector): InternedVector {
    let known = this.tableIds.get(vec.table);
    if (known === undefined || known.length < vec.table.terms.length) {
      const grownIds = new Int32Array(Math.max(1024, vec.table.terms.length * 2));
      if (known) grownIds.set(known);
      known = grownIds;
      this.tableIds.set(vec.table, known);
    }
    const ids = new Int32Array(vec.ids.length);
    for (let i = 0; i < ids.length; i++) {
      const n = vec.ids[i]!;
      // Stored plus one, so the zero an array starts with means "not looked up yet".
      let id = known[n]! - 1;
      if (id < 0) {
        id = this.idOf(vec.table.terms[n]!);
        known[n] = id + 1;
      }
      ids[i] = id;
    }
    return { ids, weights: vec.weights };
  }

  /** intern for a vector packed as parallel arrays (signals.ts): the same ids, and its weights as they are. */
  internPacked(vec: PackedTermVector): InternedVector {
    const ids = new Int32Array(vec.terms.length);
    for (let i = 0; i < ids.length; i++) ids[i] = this.idOf(vec.terms[i]!);
    return { ids, weights: vec.weights };
  }

  /** Interns an article's term vector: once per article, before any other call that takes it. */
  intern(vec: TermVector): InternedVector {
    const ids = new Int32Array(vec.size);
    const weights = new Float64Array(vec.size);
    let i = 0;
    // forEach rather than for-of: no [term, weight] entry array per term.
    vec.forEach((w, t) => {
      ids[i] = this.idOf(t);
      weights[i] = w;
      i++;
    });
    return { ids, weights };
  }

  /** Smoothed IDF, ln((N+1)/(df+1)) + 1 raised to IDF_POWER: unseen terms are the most specific, no weight is zero. */
  private idfOf(id: number): number {
    return this.idfOfDf(this.df[id] ?? 0);
  }

  private idfOfDf(df: number): number {
    if (df >= this.idfCache.length) {
      const size = Math.max(df + 1, this.idfCache.length * 2);
      const cache = grown(this.idfCache, size);
      // Stamps of -1 mark entries never computed (a count of 0 documents is a real stamp).
      const stamps = grown(this.idfStamps, size).fill(-1, this.idfStamps.length);
      this.idfCache = cache;
      this.idfStamps = stamps;
    }
    if (this.idfStamps[df] === this.docs) return this.idfCache[df]!;
    const v = (Math.log((this.docs + 1) / (df + 1)) + 1) ** IDF_POWER;
    this.idfCache[df] = v;
    this.idfStamps[df] = this.docs;
    return v;
  }

  addDocument(vec: InternedVector): void {
    this.docs++;
    for (const id of vec.ids) this.df[id] = (this.df[id] ?? 0) + 1;
  }

  removeDocument(vec: InternedVector): void {
    this.docs = Math.max(0, this.docs - 1);
    for (const id of vec.ids) this.df[id] = Math.max(0, (this.df[id] ?? 0) - 1);
  }

  /** Writes the vector's IDF-weighted terms into the scratch array; returns their norm. */
  private weigh(vec: InternedVector): number {
    let norm = 0;
    for (let i = 0; i < vec.ids.length; i++) {
      const id = vec.ids[i]!;
      const x = vec.weights[i]! * this.idfOf(id) * this.topicDiscount(id);
      this.scratch[id] = x;
      norm += x * x;
    }
    return Math.sqrt(norm);
  }

  /** See TOPIC_TERM_DISCOUNT: 1 for a term that indexes at most one story. */
  private topicDiscount(id: number): number {
    const stories = this.postings[id]?.length ?? 0;
    return stories > 1 ? 1 / (1 + TOPIC_TERM_DISCOUNT * Math.log(stories)) : 1;
  }

  private clearScratch(ids: Iterable<number>): void {
    for (const id of ids) this.scratch[id] = 0;
  }

  /** True when the term's posting list holds a story `eligible` accepts. */
  private reachesEligible(id: number, eligible: (storyId: string) => boolean): boolean {
    const list = this.postings[id];
    if (!list) return false;
    for (const h of list) if (this.isEligible(h, eligible)) return true;
    return false;
  }

  /** `eligible` for a story handle, asked once per query (the stamp is the current query's). */
  private isEligible(h: number, eligible: (storyId: string) => boolean): boolean {
    if (this.eligibleStamps[h] !== this.roughQuery) {
      this.eligibleStamps[h] = this.roughQuery;
      this.eligibleVerdicts[h] = eligible(this.storyIds[h]!) ? 1 : 0;
    }
    return this.eligibleVerdicts[h] === 1;
  }

  /**
   * Stories worth an exact comparison, best rough score first. `eligible` applies time proximity.
   * The query's weights are in the scratch array, at the ids in `ids`.
   */
  private candidatesOf(ids: Int32Array, eligible: (storyId: string) => boolean): string[] {
    // One stamp per query marks both the rough scores and the eligibility verdicts it has written;
    // `eligible` reads engine state that does not change while a query runs.
    const stamp = ++this.roughQuery;
    // Only terms some story is indexed under can find a candidate: rank among those, so a few
    // never-seen words (the most "specific" of all) cannot crowd out the shared ones.
    const { ids: terms, scores: weights } = this.work(ids.length);
    let m = 0;
    for (const id of ids) {
      if (this.postings[id] === undefined) continue;
      terms[m] = id;
      weights[m] = this.scratch[id]!;
      m++;
    }
    // A term counts only if it can reach an eligible story: a story queried with its own profile
    // (threads across days) would otherwise fill every slot with its own terms and find nothing older.
    // Checked on the best terms first; only when one of them fails are all terms checked.
    let queryTerms = this.topTerms(terms, weights, m, QUERY_TERMS);
    if (!queryTerms.every((p) => this.reachesEligible(terms[p]!, eligible))) {
      let kept = 0;
      for (let p = 0; p < m; p++) {
        if (!this.reachesEligible(terms[p]!, eligible)) continue;
        terms[kept] = terms[p]!;
        weights[kept] = weights[p]!;
        kept++;
      }
      queryTerms = this.topTerms(terms, weights, kept, QUERY_TERMS);
    }
    // Rough scores accumulate by story handle; the stamp marks which entries this query has written.
    const met: number[] = [];
    for (const p of queryTerms) {
      const id = terms[p]!;
      const list = this.postings[id];
      if (!list) continue;
      // The article's TF-IDF weight times IDF again: a shared rare name counts far more than a shared common word.
      const w = weights[p]! * this.idfOf(id);
      for (const h of list) {
        if (this.roughStamps[h] !== stamp) {
          this.roughStamps[h] = stamp;
          this.rough[h] = 0;
          met.push(h);
        }
        this.rough[h]! += w;
      }
    }
    // Time eligibility is checked on the best few, not on every story met: when they all qualify
    // (the usual case) they are exactly the best eligible ones. A busy day fills the posting lists,
    // and checking each of up to QUERY_TERMS × MAX_POSTINGS_PER_TERM stories made ranking grow with the day.
    const best = this.topStories(met, MAX_EXACT_CANDIDATES);
    if (best.every((storyId) => this.isEligible(this.handles.get(storyId)!, eligible))) return best;
    return this.topStories(
      met.filter((h) => this.isEligible(h, eligible)),
      MAX_EXACT_CANDIDATES,
    );
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

  /** Positions of the `n` best-weighted of the first `count` terms, best first (ties by term text). */
  private topTerms(ids: Int32Array, scores: Float64Array, count: number, n: number): Int32Array {
    const terms = this.terms;
    return rankTop(scores, count, n, (a, b) => {
      const ta = terms[ids[a]!]!;
      const tb = terms[ids[b]!]!;
      return ta < tb ? -1 : ta > tb ? 1 : 0;
    });
  }

  /** Cosine of the scratch vector (norm `norm`) with a story centroid, over the story's profile. */
  private scratchCosine(norm: number, story: StoryCentroid | undefined): number {
    if (!story || story.size === 0 || story.norm === 0 || norm === 0) return 0;
    let dot = 0;
    const { profile, weights, norm: storyNorm } = story;
    for (let i = 0; i < profile.length; i++) dot += this.scratch[profile[i]!]! * weights[i]!;
    return dot / (norm * storyNorm);
  }

  /** Exact cosines for the candidates, best first. */
  rank(vec: InternedVector, eligible: (storyId: string) => boolean): ScoredStory[] {
    const norm = this.weigh(vec);
    try {
      return this.candidatesOf(vec.ids, eligible)
        .map((storyId) => ({ storyId, cosine: this.scratchCosine(norm, this.stories.get(storyId)) }))
        .sort((a, b) => b.cosine - a.cosine || (a.storyId < b.storyId ? -1 : 1));
    } finally {
      this.clearScratch(vec.ids);
    }
  }

  addToStory(storyId: string, vec: InternedVector): void {
    let story = this.stories.get(storyId);
    if (!story) {
      story = { sum: new Map(), size: 0, profile: [], weights: [], norm: 0 };
      this.stories.set(storyId, story);
    }
    for (let i = 0; i < vec.ids.length; i++) {
      const id = vec.ids[i]!;
      story.sum.set(id, (story.sum.get(id) ?? 0) + quantise(vec.weights[i]!));
    }
    story.size++;
    if (story.sum.size > CENTROID_PRUNE_AT) this.pruneCentroid(story.sum);
    if ((story.size & (story.size - 1)) === 0 || story.size % PROFILE_REFRESH_EVERY === 0) {
      this.refreshProfile(storyId, story);
    } else {
      this.refreshProfile(storyId, story, vec.ids);
    }
  }

  removeFromStory(storyId: string, vec: InternedVector): void {
    const story = this.stories.get(storyId);
    if (!story) return;
    for (let i = 0; i < vec.ids.length; i++) {
      const id = vec.ids[i]!;
      const v = (story.sum.get(id) ?? 0) - quantise(vec.weights[i]!);
      if (v > 0) story.sum.set(id, v);
      else story.sum.delete(id);
    }
    story.size--;
    if (story.size <= 0) {
      this.unindex(storyId, story.profile);
      this.stories.delete(storyId);
      return;
    }
    this.refreshProfile(storyId, story);
  }

  /**
   * Similarity of one story's centroid to several others' over their profiles, from the cached
   * profile weights (the merge pass): its profile is laid out once, no IDF recomputed.
   */
  storyCosines(a: string, others: readonly string[]): number[] {
    const sa = this.stories.get(a);
    if (!sa || sa.norm === 0) return others.map(() => 0);
    for (let i = 0; i < sa.profile.length; i++) this.scratch[sa.profile[i]!] = sa.weights[i]!;
    try {
      return others.map((b) => this.scratchCosine(sa.norm, this.stories.get(b)));
    } finally {
      this.clearScratch(sa.profile);
    }
  }

  /** Stories sharing index terms with a story (its own id excluded), best rough score first. */
  relatedStories(storyId: string, eligible: (storyId: string) => boolean): ScoredStory[] {
    const s = this.stories.get(storyId);
    if (!s) return [];
    const ids = Int32Array.from(s.profile);
    const weights = Float64Array.from(s.profile, (id) => (s.sum.get(id) ?? 0) / s.size);
    return this.rank({ ids, weights }, (id) => id !== storyId && eligible(id));
  }

  /**
   * How well a member fits the rest of its story: the cosine of its vector with the story's centroid
   * without it (leave-one-out), over the rest's PROFILE_TERMS strongest terms, as a join compares an
   * article with a story's profile. A member's own terms inflate its cosine with a centroid that holds
   * it, most of all in a small story, so only the rest is a fair measure. The member is weighed as
   * `rank` weighs an arriving article (IDF and the topic-word discount): the re-check replays the join
   * decision, and judged without the discount a member that joined on its event's own words could be
   * taken out again, or one that joined on its topic's words kept, by a measure the join never used.
   */
  cosineToRest(storyId: string, vec: InternedVector): number {
    const story = this.stories.get(storyId);
    if (!story || story.size < 2) return 0;
    // The member's fixed-point shares, by term id, in the scratch array (zero elsewhere).
    let vecNorm = 0;
    for (let i = 0; i < vec.ids.length; i++) {
      const id = vec.ids[i]!;
      this.scratch[id] = quantise(vec.weights[i]!);
      const x = vec.weights[i]! * this.idfOf(id) * this.topicDiscount(id);
      vecNorm += x * x;
    }
    try {
      const { ids, scores } = this.work(story.sum.size);
      let m = 0;
      story.sum.forEach((w, id) => {
        const rest = w - this.scratch[id]!;
        if (rest <= 0) return;
        ids[m] = id;
        scores[m++] = rest * this.idfOf(id);
      });
      // Only terms at least as strong as the PROFILE_TERMS-th count (linear quickselect, no sort).
      const cut = m > PROFILE_TERMS ? nthLargest(this.selectionCopy(scores, m), PROFILE_TERMS - 1, m) : 0;
      let dot = 0;
      let restNorm = 0;
      for (let i = 0; i < m; i++) {
        const c = scores[i]!;
        if (c < cut) continue;
        restNorm += c * c;
        const q = this.scratch[ids[i]!]!;
        if (q !== 0) dot += c * (q / CENTROID_SCALE) * this.idfOf(ids[i]!) * this.topicDiscount(ids[i]!);
      }
      return restNorm === 0 || vecNorm === 0 ? 0 : dot / Math.sqrt(restNorm * vecNorm);
    } finally {
      this.clearScratch(vec.ids);
    }
  }

  /** Folds story `from` into story `into` (their centroids add up); `from` leaves the index. */
  mergeStories(into: string, from: string): void {
    const a = this.stories.get(into);
    const b = this.stories.get(from);
    if (!a || !b) return;
    b.sum.forEach((w, id) => {
      a.sum.set(id, (a.sum.get(id) ?? 0) + w);
    });
    a.size += b.size;
    if (a.sum.size > CENTROID_PRUNE_AT) this.pruneCentroid(a.sum);
    this.unindex(from, b.profile);
    this.stories.delete(from);
    this.refreshProfile(into, a);
  }

  /**
   * Re-ranks the profile over the whole centroid, or over the current profile plus `grownTerms` (the
   * terms whose sums just grew), and recomputes the profile's weights (sum × IDF) and their norm.
   */
  private refreshProfile(storyId: string, story: StoryCentroid, grownTerms?: Int32Array): void {
    const { ids, scores } = this.work(grownTerms ? story.profile.length + grownTerms.length : story.sum.size);
    let m = 0;
    if (grownTerms) {
      const mark = ++this.markStamp;
      for (const id of story.profile) {
        this.marks[id] = mark;
        ids[m] = id;
        scores[m++] = (story.sum.get(id) ?? 0) * this.idfOf(id);
      }
      for (const id of grownTerms) {
        if (this.marks[id] === mark) continue;
        const w = story.sum.get(id);
        if (w === undefined) continue;
        ids[m] = id;
        scores[m++] = w * this.idfOf(id);
      }
    } else {
      story.sum.forEach((w, id) => {
        ids[m] = id;
        scores[m++] = w * this.idfOf(id);
      });
    }
    const next = this.topTerms(ids, scores, m, PROFILE_TERMS);
    this.unindex(storyId, story.profile);
    const profile = new Array<number>(next.length);
    const weights = new Array<number>(next.length);
    let norm = 0;
    for (let i = 0; i < next.length; i++) {
      const p = next[i]!;
      const c = scores[p]!;
      profile[i] = ids[p]!;
      weights[i] = c;
      norm += c * c;
    }
    story.profile = profile;
    story.weights = weights;
    story.norm = Math.sqrt(norm);
    this.touch(storyId, story);
  }

  /** Re-enters the story at the most-recent end of its index terms' posting lists, evicting the oldest. */
  private touch(storyId: string, story: StoryCentroid): void {
    const h = this.handleOf(storyId);
    const n = Math.min(INDEX_TERMS, story.profile.length);
    for (let i = 0; i < n; i++) {
      const id = story.profile[i]!;
      let list = this.postings[id];
      if (!list) {
        list = [];
        this.postings[id] = list;
        this.postingOrder[id] = this.postingsCreated++;
      }
      const at = list.indexOf(h);
      if (at >= 0) list.splice(at, 1);
      list.push(h);
      if (list.length > MAX_POSTINGS_PER_TERM) list.shift();
    }
  }

  private unindex(storyId: string, profile: readonly number[]): void {
    const h = this.handles.get(storyId);
    if (h === undefined) return;
    const n = Math.min(INDEX_TERMS, profile.length);
    for (let i = 0; i < n; i++) {
      const id = profile[i]!;
      const list = this.postings[id];
      if (!list) continue;
      const at = list.indexOf(h);
      if (at >= 0) list.splice(at, 1);
      if (list.length === 0) this.postings[id] = undefined;
    }
  }

  /** Drops a centroid's weakest terms (by summed weight), keeping CENTROID_KEEP_TERMS. */
  private pruneCentroid(sum: Map<number, number>): void {
    const ids = Int32Array.from(sum.keys());
    const weights = Float64Array.from(sum.values());
    const mark = ++this.markStamp;
    for (const p of this.topTerms(ids, weights, ids.length, CENTROID_KEEP_TERMS)) this.marks[ids[p]!] = mark;
    for (const id of ids) if (this.marks[id] !== mark) sum.delete(id);
  }

  toJSON(): SerialisedClusterIndex {
    // Positions in the stored term table, assigned in id order as terms are first referenced.
    const position = new Map<number, number>();
    const terms: string[] = [];
    const df: number[] = [];
    const at = (id: number): number => {
      let p = position.get(id);
      if (p === undefined) {
        p = terms.length;
        position.set(id, p);
        terms.push(this.terms[id]!);
        df.push(this.df[id] ?? 0);
      }
      return p;
    };
    for (let id = 0; id < this.df.length; id++) if ((this.df[id] ?? 0) > 0) at(id);
    const listed: number[] = [];
    for (let id = 0; id < this.postings.length; id++) if (this.postings[id] !== undefined) listed.push(id);
    listed.sort((a, b) => this.postingOrder[a]! - this.postingOrder[b]!);
    return {
      docs: this.docs,
      stories: [...this.stories.entries()].map(([id, s]) => [
        id,
        s.size,
        Array.from(s.sum.keys(), at),
        [...s.sum.values()],
        s.profile.map(at),
        [...s.weights],
        s.norm,
      ]),
      postings: listed.map((id) => [at(id), this.postings[id]!.map((h) => this.storyIds[h]!)]),
      terms,
      df,
    };
  }

  static fromJSON(data: SerialisedClusterIndex | SerialisedClusterIndexV2): ClusterIndex {
    if (!('terms' in data)) return ClusterIndex.fromJSON(upgradeV2(data));
    const index = new ClusterIndex();
    index.docs = data.docs;
    const ids = data.terms.map((t) => index.idOf(t));
    const idAt = (p: number): number => {
      const id = ids[p];
      if (id === undefined) throw new RangeError(`term position ${p} is outside the stored term table`);
      return id;
    };
    for (let p = 0; p < ids.length; p++) index.df[ids[p]!] = data.df[p] ?? 0;
    for (const [id, size, terms, sums, profile, weights, norm] of data.stories) {
      const sum = new Map<number, number>();
      for (let i = 0; i < terms.length; i++) sum.set(idAt(terms[i]!), sums[i]!);
      index.stories.set(id, { sum, size, profile: profile.map(idAt), weights: [...weights], norm });
    }
    for (const [p, storyIds] of data.postings) {
      const id = idAt(p);
      // A repeated term keeps its first place in the order, and a list holds each story once (as Map and Set did).
      if (index.postings[id] === undefined) index.postingOrder[id] = index.postingsCreated++;
      index.postings[id] = Array.from(new Set(storyIds), (s) => index.handleOf(s));
    }
    return index;
  }
}

/** Re-expresses a version-2 index (terms by text) in the current layout (terms by position). */
function upgradeV2(data: SerialisedClusterIndexV2): SerialisedClusterIndex {
  const position = new Map<string, number>();
  const terms: string[] = [];
  const df: number[] = [];
  const at = (term: string): number => {
    let p = position.get(term);
    if (p === undefined) {
      p = terms.length;
      position.set(term, p);
      terms.push(term);
      df.push(0);
    }
    return p;
  };
  for (const [term, n] of data.df) df[at(term)] = n;
  return {
    docs: data.docs,
    stories: data.stories.map(([id, size, storyTerms, sums, profile, weights, norm]) => [
      id,
      size,
      storyTerms.map(at),
      sums,
      profile.map(at),
      weights,
      norm,
    ]),
    postings: data.postings.map(([term, ids]) => [at(term), ids]),
    terms,
    df,
  };
}

/** A copy of a typed array, `length` long, holding its values at the start and zeros after. */
function grown<A extends Float64Array | Int32Array | Uint8Array>(array: A, length: number): A {
  const next = new (array.constructor as new (length: number) => A)(length);
  next.set(array);
  return next;
}

/**
 * The keys of the `n` best-scored entries, best first (ties by key, so results are deterministic).
 * Partitions around a pivot first, so only the top of a long list is ever sorted.
 */
export function topByScore(entries: (readonly [string, number])[], n: number): string[] {
  return topEntries(entries, n).map(([t]) => t);
}

/** `topByScore` keeping each key's score. */
export function topEntries(entries: (readonly [string, number])[], n: number): (readonly [string, number])[] {
  return selectTop<string>(entries, n, (a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Lists longer than n by more than this are cut at the n-th best score (linear quickselect) before
 * sorting: a profile refresh ranks a few hundred terms for 200 places on every article.
 */
const PRESELECT_MARGIN = 32;

/** The `n` best entries by score, best first, equal scores ordered by `compareKeys`. */
function selectTop<K>(
  entries: (readonly [K, number])[],
  n: number,
  compareKeys: (a: K, b: K) => number,
): (readonly [K, number])[] {
  const better = (a: readonly [K, number], b: readonly [K, number]): number =>
    b[1] - a[1] || compareKeys(a[0], b[0]);
  let list = entries;
  if (list.length > n + PRESELECT_MARGIN && n > 0) {
    // Keep only entries at least as good as the n-th best score (found by quickselect), then sort those.
    const scores = Float64Array.from(list, (e) => e[1]);
    const cut = nthLargest(scores, n - 1);
    list = list.filter((e) => e[1] >= cut);
  }
  return [...list].sort(better).slice(0, n);
}

/** The k-th largest (0-based) of the first `length` values, by quickselect; reorders them. */
function nthLargest(values: Float64Array, k: number, length = values.length): number {
  let lo = 0;
  let hi = length - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! > pivot) i++;
      while (values[j]! < pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i] = values[j]!;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return values[k]!;
}

/** Runs of tied scores up to this long are insertion-sorted in place; most runs are pairs. */
const TIE_INSERTION_SORT_MAX = 12;

/** Scratch for rankTop, grown as needed: a profile refresh ranks on every article, so it allocates nothing per call. */
let rankCopy = new Float64Array(1024);
/** The same memory as unsigned 64-bit integers (see rankTop). */
let rankBits = new BigUint64Array(rankCopy.buffer);
let rankSlots = new Int32Array(1024);
let rankFill = new Int32Array(1024);

/**
 * Positions (into `scores`) of the `n` best of the first `count` scores, best first, equal scores
 * ordered by `compareTies` on their positions: the order selectTop gives, but without a comparator
 * call per comparison. Scores at or above the n-th best (quickselect) are copied and sorted as plain
 * numbers (a native typed-array sort); each entry then finds its slot by binary search, and only runs
 * of equal scores, which share slots, are sorted with `compareTies`. The result is a view of scratch
 * memory: read it before the next call.
 */
export function rankTop(
  scores: Float64Array,
  count: number,
  n: number,
  compareTies: (a: number, b: number) => number,
): Int32Array {
  if (n <= 0 || count <= 0) return new Int32Array(0);
  if (count > rankCopy.length) {
    const size = Math.max(count, rankCopy.length * 2);
    rankCopy = new Float64Array(size);
    rankBits = new BigUint64Array(rankCopy.buffer);
    rankSlots = new Int32Array(size);
    rankFill = new Int32Array(size);
  }
  let cut = Number.NEGATIVE_INFINITY;
  if (count > n + PRESELECT_MARGIN) {
    rankCopy.set(scores.subarray(0, count));
    cut = nthLargest(rankCopy.subarray(0, count), n - 1);
  }
  // The kept scores, ascending. Non-negative doubles order like their bit patterns read as unsigned
  // integers, and V8 sorts a BigUint64Array natively several times faster than a Float64Array.
  let k = 0;
  let bitsOrder = true;
  for (let i = 0; i < count; i++) {
    const s = scores[i]!;
    if (!(s >= cut)) continue;
    if (!(s > 0 || (s === 0 && 1 / s > 0))) bitsOrder = false;
    rankCopy[k++] = s;
  }
  const sorted = rankCopy.subarray(0, k);
  if (bitsOrder) rankBits.subarray(0, k).sort();
  else sorted.sort();
  rankFill.fill(0, 0, k);
  for (let i = 0; i < count; i++) {
    const s = scores[i]!;
    if (!(s >= cut)) continue;
    // Equal scores occupy sorted[lo, hi); best first, they take slots k - hi .. k - lo - 1.
    let lo = 0;
    let hi = k;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! <= s) lo = mid + 1;
      else hi = mid;
    }
    const start = k - lo;
    rankSlots[start + rankFill[start]!] = i;
    rankFill[start]!++;
  }
  const take = Math.min(n, k);
  // Runs of equal scores (a slot filled more than once) are ordered by their keys.
  for (let start = 0; start < take; ) {
    const run = rankFill[start]!;
    if (run > TIE_INSERTION_SORT_MAX) {
      const tied = Array.from(rankSlots.subarray(start, start + run)).sort(compareTies);
      rankSlots.set(tied, start);
    } else {
      for (let i = start + 1; i < start + run; i++) {
        const v = rankSlots[i]!;
        let j = i - 1;
        while (j >= start && compareTies(v, rankSlots[j]!) < 0) {
          rankSlots[j + 1] = rankSlots[j]!;
          j--;
        }
        rankSlots[j + 1] = v;
      }
    }
    start += run;
  }
  return rankSlots.subarray(0, take);
}
