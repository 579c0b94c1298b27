/**
 * The incremental story engine: one article in, one story touched.
 *
 *   ingest → exact hash / LSH near-duplicate check → cluster against story centroids
 *          → update that story's centroid, day, summary pool → mark the story dirty
 *
 * Work per article is bounded by constants (LSH bands, posting-list caps, the summary pool), not by
 * the number of articles held, so a day of 50k articles costs as much per article as a day of 1k.
 * What is derived from a story's members (summary, headline, figures, follow-up link) is recomputed
 * lazily, once per dirty story, when it is next read (digest, takeChangedDays, toState): a story that
 * gains 100 articles in a batch is summarised once, not 100 times.
 * digest(day) assembles cached per-story results; takeChangedDays() says which days to re-write.
 */
import { NewsDigestError } from '../errors.ts';
import { lruMemo } from '../memo.ts';
import type {
  ArticleRecord,
  DateSource,
  Day,
  Digest,
  DigestStory,
  ExtractedArticle,
  IngestOutcome,
} from '../types.ts';
import {
  articleGap,
  joinThreshold,
  MAX_MERGES_PER_ARTICLE,
  MERGE_CANDIDATES,
  MERGE_MAX_YOUNG_MEMBERS,
  mergeThreshold,
  spanGap,
  TIME_WINDOW_DAYS,
  typicalGap,
  withinTimeWindow,
  writtenEventDay,
} from './assign.ts';
import { ClusterIndex, type InternedVector } from './cluster.ts';
import {
  lshKeys,
  minHash,
  nearDuplicateVerdict,
  rememberShingles,
  type Shingles,
  shingleSet,
  textFingerprint,
} from './fingerprint.ts';
import { sha1Hex, stableId } from './hash.ts';
import { type ArticleSignals, versionHashOf } from './signals.ts';
import {
  type ArticleState,
  type EngineState,
  STATE_VERSION,
  type StoryState,
  validateState,
} from './state.ts';
import { type StorySummary, type SummaryJob, sameSources, summariseSources } from './story-summary.ts';
import { isStubText, sameHeadline } from './stubs.ts';
import { STORY_SUMMARY_SENTENCES, type SummarySource } from './summarise.ts';
import { articleTerms, NAME_PART_MARK, nameParts } from './terms.ts';
import { chooseFollowUp, followUpLink } from './threads.ts';

/**
 * Members kept in a story's summary pool. The summary, headline and figures are computed from
 * these only, so re-summarising costs the same for a story of 3 or of 30,000 articles.
 */
export const SUMMARY_POOL_SIZE = 8;

/**
 * Shingle sets of recent duplicate candidates. Copies arrive close together (a wire story lands in
 * several papers within hours), so the same originals come up as candidates again and again; the
 * stored state keeps texts, not shingles, and re-shingling a text costs as much as tokenising it.
 * fingerprint.ts remembers the shingles of texts it fingerprinted (or was handed, with a worker's
 * signals) lately too; this one keeps the candidates that keep coming up.
 */
export const CANDIDATE_SHINGLES_CACHE_SIZE = 256;
const candidateShingles = lruMemo(CANDIDATE_SHINGLES_CACHE_SIZE, (text: string) => shingleSet(text));

/**
 * Articles kept per LSH bucket. A bucket holds the articles whose signatures agree on one band; near
 * copies agree on many bands, but text that many articles share (a syndicated paragraph, a standard
 * disclaimer, a feed recombining the same sentences) piles unrelated articles into a few buckets,
 * and every later article scanned them all: on a 10k corpus built from the seeds' hundred sentences
 * the largest buckets held hundreds and duplicate checks took half the run, growing with the day.
 * The first articles stay, since an original comes before its copies, and a copy still meets its
 * original through the other bands they agree on (about 13 of 32 at the 0.8 Jaccard threshold).
 */
export const BUCKET_MAX_ARTICLES = 64;

/**
 * Candidates whose shingles are compared per article, those agreeing on the most bands first: each
 * band agrees with probability Jaccard⁴, so the count ranks candidates by likely similarity, and a
 * near copy (0.8 Jaccard: 13 bands expected) comes well before an article met through one shared
 * paragraph. Comparing costs a re-shingling when the candidate's shingles are not cached.
 */
export const MAX_VERIFIED_CANDIDATES = 16;

/**
 * A story is re-checked member by member while it has at most this many members. Online assignment
 * goes wrong while a story is young: its centroid is then one or two articles, so a report of the
 * next round of talks can found it, or join it, before the event's other reports arrive, and the
 * result depends on arrival order. Once a story has more members its centroid is stable, one member
 * barely moves it, and re-checking would only cost time.
 */
export const REFINE_MAX_MEMBERS = 8;

/**
 * Members' interned term vectors kept for re-checking young stories (recent articles, by insertion).
 * A member missing here has its vector recomputed from its text: the cache saves time, never changes
 * a result.
 */
export const MEMBER_VECTOR_CACHE_SIZE = 4096;

export interface NewsroomOptions {
  /** Sentences per story summary (default STORY_SUMMARY_SENTENCES). */
  readonly summarySentences?: number;
}

/**
 * A collection of at most this many articles is clustered again in publication order at the end of
 * each batch (Newsroom.settled), so its stories do not depend on the order its files arrived in.
 * Online clustering is order-dependent, and most where it is least informed: with a handful of
 * articles every term's IDF is about the same, so a follow-up that arrives before the first reports
 * of its event can found the story they then join (the five seeds, synced in each of their 120
 * orders, gave the three right stories in 65). Publication order is the order the method assumes,
 * stories growing forward in time. Replaying a hundred articles costs about a tenth of a second a
 * batch; beyond that the engine stays purely incremental and the per-article cost stays flat.
 */
export const REPLAY_MAX_ARTICLES = 100;

/**
 * An article naming at least this many names (terms.ts NameEvidence) joins only a story that names
 * one of them too. Reports of one event share a person, a place or an organisation; templated copy
 * about different events (automated results, local notices, earnings reports) shares most of its
 * wording and none of its names, and its cosine alone piled one story per template. An article with
 * fewer names (a short brief, a headline-only page) gives too little evidence and is judged on its
 * text alone.
 */
export const MIN_NAMES_FOR_NAME_EVIDENCE = 5;

function dayOf(date: Date): Day {
  return date.toISOString().slice(0, 10);
}

export class Newsroom {
  private readonly articles = new Map<string, ArticleState>(); // by source, first-seen order
  private readonly byId = new Map<string, ArticleState>();
  private readonly stories = new Map<string, StoryState>();
  /** Derived from the articles' stored `lsh` keys: LSH band key -> original article id(s). */
  private readonly buckets = new Map<number, string | string[]>();
  private readonly hashes = new Map<string, string>();
  private cluster = new ClusterIndex();
  private readonly changed = new Set<Day>();
  /** Derived: original article id -> ids of its duplicates. */
  private readonly dependents = new Map<string, string[]>();
  /** Derived: story id -> ids of stories that follow it up. */
  private readonly followers = new Map<string, Set<string>>();
  /** Stories whose derived data (summary, headline, figures, follow-up) is stale; never stored. */
  private readonly dirty = new Set<string>();
  /** Summaries computed elsewhere for dirty stories (supplySummaries), used by the next flush. */
  private readonly supplied = new Map<string, { sources: readonly SummarySource[]; summary: StorySummary }>();
  private readonly summarySentences: number;
  /** See MEMBER_VECTOR_CACHE_SIZE; keyed by the article's state object, which a new version replaces. */
  private readonly memberVectors = new Map<ArticleState, InternedVector>();
  /** See eventDayOf; keyed by the article's state object, which a new version replaces. */
  private readonly eventDays = new WeakMap<ArticleState, Day | null>();
  /**
   * How many members of a story give each name: derived from the members' stored names, so not stored
   * itself, and gathered when a story is first asked about after a restart (storyNamesOf).
   */
  private readonly storyNames = new Map<string, Map<string, number>>();
  /** Each article version's names with their parts (terms.ts nameParts), by its stored names. */
  private readonly namesWithParts = new WeakMap<readonly string[], readonly string[]>();
  private readonly nameSets = new WeakMap<readonly string[], ReadonlySet<string>>();
  /** True while a member split off a young story is placed again: no nested re-checks. */
  private refining = false;

  private constructor(options?: NewsroomOptions) {
    this.summarySentences = options?.summarySentences ?? STORY_SUMMARY_SENTENCES;
  }

  static empty(options?: NewsroomOptions): Newsroom {
    return new Newsroom(options);
  }

  static fromState(state: unknown, options?: NewsroomOptions): Newsroom {
    const s = validateState(state);
    const room = new Newsroom(options);
    try {
      for (const a of s.articles) {
        const copy: ArticleState = { ...a };
        copy.lsh = [...copy.lsh];
        room.articles.set(copy.source, copy);
        room.byId.set(copy.id, copy);
        for (const key of copy.lsh) room.bucketAdd(key, copy.id);
      }
      for (const st of s.stories) room.stories.set(st.id, structuredClone(st));
      for (const [h, id] of s.hashes) room.hashes.set(h, id);
      room.cluster = ClusterIndex.fromJSON(s.cluster);
      for (const d of s.changedDays) room.changed.add(d);
    } catch (cause) {
      throw new NewsDigestError('Stored newsroom state is corrupt: delete it and re-run the inputs.', {
        cause,
      });
    }
    for (const a of room.articles.values()) {
      if (a.duplicateOf) room.addDependent(a.duplicateOf, a.id);
    }
    for (const st of room.stories.values()) if (st.followUpTo) room.addFollower(st.followUpTo, st.id);
    return room;
  }

  /**
   * The same articles clustered as if they had arrived in publication order (their day, undated ones
   * by the day they arrived; then arrival time and source key), when there are at most
   * REPLAY_MAX_ARTICLES of them; otherwise the room itself. Every file keeps the outcome it was given:
   * duplicates stay attached to the originals they copy, rejected files stay rejected, and should an
   * original turn out a copy of another in the new order the room itself is kept. Only the grouping
   * of originals into stories (and so story ids, days and follow-up links) can change, and every day
   * either version has a story on is marked changed.
   */
  static settled(room: Newsroom): Newsroom {
    if (room.articles.size > REPLAY_MAX_ARTICLES) return room;
    const all = [...room.articles.values()];
    const originals = all.filter((a) => a.rejected === null && a.duplicateOf === null && a.storyId !== null);
    const replayed = new Newsroom({ summarySentences: room.summarySentences });
    for (const a of originals.sort(byPublication)) {
      replayed.ingest({ source: a.source, article: asExtracted(a), arrivedAt: new Date(a.arrivedAt) });
    }
    if (originals.some((a) => replayed.byId.get(a.id)?.duplicateOf !== null)) return room;
    // Copies and rejections are carried over as they were; a copy follows its original's new story.
    for (const a of all) {
      if (replayed.articles.has(a.source)) continue;
      const copy: ArticleState = { ...a, lsh: [] };
      if (a.duplicateOf !== null) {
        const original = replayed.byId.get(a.duplicateOf);
        const story = original?.storyId ? replayed.stories.get(original.storyId) : undefined;
        if (original === undefined || story === undefined) return room;
        copy.storyId = story.id;
        story.duplicates.push(copy.id);
        replayed.addDependent(original.id, copy.id);
        replayed.dirty.add(story.id);
      }
      replayed.articles.set(copy.source, copy);
      replayed.byId.set(copy.id, copy);
    }
    // Records list articles in the order they were first seen, as before the replay.
    const bySource = new Map(replayed.articles);
    replayed.articles.clear();
    for (const a of all) replayed.articles.set(a.source, bySource.get(a.source)!);
    for (const day of room.changed) replayed.markChanged(day);
    for (const st of room.stories.values()) replayed.markChanged(room.storyDay(st));
    for (const st of replayed.stories.values()) replayed.markChanged(replayed.storyDay(st));
    return replayed;
  }

  /**
   * A detached snapshot: fresh objects and arrays throughout (nothing the engine mutates is shared),
   * but the immutable strings (article texts) are shared rather than copied, so snapshotting a
   * large day does not double the memory it holds.
   */
  toState(): EngineState {
    this.flush();
    return {
      version: STATE_VERSION,
      articles: [...this.articles.values()].map((a) => ({
        ...a,
        date: a.date ? { ...a.date } : null,
        lsh: [...a.lsh],
      })),
      stories: [...this.stories.values()].map((st) => structuredClone(st)),
      hashes: [...this.hashes.entries()],
      cluster: this.cluster.toJSON(),
      changedDays: [...this.changed],
    };
  }

  // ── ingest ────────────────────────────────────────────────────────────────────────────────

  /**
   * Places one article. `signals` may be computed beforehand, off this thread (signals.ts); they must
   * be `articleSignals(article)`, and are computed here when absent.
   */
  ingest(input: {
    source: string;
    article: ExtractedArticle;
    arrivedAt: Date;
    signals?: ArticleSignals;
  }): IngestOutcome {
    const { source, article, arrivedAt } = input;
    const versionHash = input.signals?.versionHash ?? versionHashOf(article);
    const existing = this.articles.get(source);
    if (existing && existing.rejected === null && existing.versionHash === versionHash) {
      return { kind: 'unchanged', articleId: existing.id };
    }
    const id = existing?.id ?? stableId('a', source);
    let dependents: string[] = [];
    if (existing) dependents = this.detach(existing);
    // In process, the term vector is left to place(): a duplicate never needs it.
    const signals = input.signals ?? { versionHash, ...textFingerprint(article.text) };
    if (input.signals) rememberShingles(article.text, input.signals.shingles);
    const state: ArticleState = {
      source: detached(source),
      id,
      title: detachedOrNull(article.title),
      text: detached(article.text),
      url: detachedOrNull(article.url),
      outlet: detachedOrNull(article.outlet),
      description: detachedOrNull(article.description),
      date: article.date,
      arrivedAt: arrivedAt.toISOString(),
      versionHash,
      contentHash: signals.contentHash,
      lsh: [],
      storyId: null,
      duplicateOf: null,
      similarity: null,
      rejected: null,
    };
    this.articles.set(source, state);
    this.byId.set(id, state);
    if (input.signals) this.eventDays.set(state, input.signals.eventDay);
    const outcome = this.place(state, signals);
    // Articles that duplicated the old version are placed again against the new one.
    for (const depId of dependents) {
      const dep = this.byId.get(depId);
      if (dep) this.place(dep);
    }
    return outcome;
  }

  reject(input: { source: string; reason: string; arrivedAt: Date; contentHash?: string }): IngestOutcome {
    const existing = this.articles.get(input.source);
    const versionHash = sha1Hex(`rejected\u0000${input.reason}\u0000${input.contentHash ?? ''}`);
    if (existing && existing.rejected !== null && existing.versionHash === versionHash) {
      return { kind: 'unchanged', articleId: existing.id };
    }
    const id = existing?.id ?? stableId('a', input.source);
    let dependents: string[] = [];
    if (existing) dependents = this.detach(existing);
    const state: ArticleState = {
      source: input.source,
      id,
      title: null,
      text: '',
      url: null,
      outlet: null,
      description: null,
      date: null,
      arrivedAt: input.arrivedAt.toISOString(),
      versionHash,
      contentHash: input.contentHash ?? null,
      lsh: [],
      storyId: null,
      duplicateOf: null,
      similarity: null,
      rejected: input.reason,
    };
    this.articles.set(input.source, state);
    this.byId.set(id, state);
    for (const depId of dependents) {
      const dep = this.byId.get(depId);
      if (dep) this.place(dep);
    }
    return { kind: 'rejected', articleId: id, reason: input.reason };
  }

  /** Duplicate check, then clustering. The article state is already registered. */
  private place(
    a: ArticleState,
    signals?: Pick<ArticleSignals, 'shingles'> &
      Partial<Pick<ArticleSignals, 'terms' | 'lshKeys' | 'names' | 'nameParts'>>,
  ): IngestOutcome {
    const shingles = signals?.shingles ?? shingleSet(a.text);
    const keys = signals?.lshKeys ?? lshKeys(minHash(shingles));
    const dup = this.findDuplicate(a, shingles, keys);
    if (dup) {
      const original = this.byId.get(dup.originalId)!;
      const story = this.stories.get(original.storyId!)!;
      a.duplicateOf = original.id;
      a.similarity = dup.similarity;
      a.storyId = story.id;
      story.duplicates.push(a.id);
      this.addDependent(original.id, a.id);
      this.markChanged(this.storyDay(story));
      return {
        kind: 'duplicate',
        articleId: a.id,
        duplicateOf: original.source,
        similarity: dup.similarity,
        day: this.storyDay(story),
      };
    }
    // An original: index its fingerprints and cluster it.
    if (a.contentHash) this.hashes.set(a.contentHash, a.id);
    a.lsh = keys;
    for (const key of keys) this.bucketAdd(key, a.id);
    const terms = signals?.terms;
    let vec: InternedVector;
    if (terms === undefined) {
      const read = articleTerms(a.title, a.text, a.description);
      vec = this.cluster.intern(read.vector);
      a.names = read.names;
    } else {
      vec = 'table' in terms ? this.cluster.internNumbered(terms) : this.cluster.internPacked(terms);
      if (signals?.names) {
        a.names = signals.names;
        if (signals.nameParts) this.namesWithParts.set(a.names, [...a.names, ...signals.nameParts]);
      }
    }
    this.rememberVector(a, vec);
    const names = this.namesOf(a);
    const namesCount = enoughNames(names);
    const articleDay = a.date?.day ?? null;
    const eventDay = this.eventDayOf(a);
    const ranked = this.cluster.rank(vec, (storyId) => {
      const st = this.stories.get(storyId);
      if (st === undefined) return false;
      const span = dateSpan(st);
      return withinTimeWindow(articleDay, span) || (eventDay !== null && withinTimeWindow(eventDay, span));
    });
    let target: StoryState | undefined;
    let cosine = 1;
    for (const cand of ranked) {
      const st = this.stories.get(cand.storyId)!;
      const gap = articleGap(articleDay, eventDay, dateSpan(st));
      // Days late count in units of the story's own pace (assign.ts typicalGap).
      if (
        cand.cosine >= joinThreshold(gap, typicalGap(st.dateCounts)) &&
        (!namesCount || this.sharesName(names, st, false))
      ) {
        target = st;
        cosine = cand.cosine;
        break;
      }
    }
    this.cluster.addDocument(vec);
    const before = target ? this.storyDay(target) : null;
    if (!target) {
      target = {
        id: this.freshStoryId(a.id),
        members: [],
        duplicates: [],
        dateCounts: [],
        arrivalDay: dayOf(new Date(a.arrivedAt)),
        pool: [],
        headline: '',
        summary: [],
        figures: [],
        disagreements: [],
        followUpTo: null,
      };
      this.stories.set(target.id, target);
    }
    a.storyId = target.id;
    target.members.push(a.id);
    this.countNames(target.id, names, 1);
    if (a.date) addDateCount(target, a.date.day, 1);
    this.cluster.addToStory(target.id, vec);
    addToPool(target, a.id, cosine);
    const after = this.storyDay(target);
    if (before !== null && before !== after) this.dayMoved(target, before);
    // The centroid (and maybe the pool or the day) moved: summary and follow-up link are re-derived on the next read.
    this.dirty.add(target.id);
    this.markChanged(after);
    const bridged = ranked.slice(0, MERGE_CANDIDATES).map((c) => c.storyId);
    for (let i = 0; i < MAX_MERGES_PER_ARTICLE; i++) {
      const merged = this.mergeNearest(target, bridged);
      if (!merged) break;
      target = merged;
    }
    if (!this.refining) this.refineYoungStory(target);
    // The re-check may have moved this very article: report where it ended.
    const final = this.stories.get(a.storyId ?? '') ?? target;
    return { kind: 'story', articleId: a.id, storyId: final.id, day: this.storyDay(final) };
  }

  /** A story id derived from its founder; a founder split off its old story needs another one. */
  private freshStoryId(founderId: string): string {
    let id = stableId('s', founderId);
    for (let n = 2; this.stories.has(id); n++) id = stableId('s', `${founderId}#${n}`);
    return id;
  }

  /**
   * Re-checks a young story (see REFINE_MAX_MEMBERS): each member is compared with the rest of the
   * story, as if it arrived last, against the same join bar (its days from the rest's coverage). The
   * member that fails by most is taken out and placed again like a new article, so it joins the story
   * it fits or founds its own. One member per call keeps the work bounded; the story's next arrivals
   * continue the clean-up. The outcome then no longer hinges on which report came first.
   */
  private refineYoungStory(story: StoryState): void {
    const n = story.members.length;
    if (n === REFINE_MAX_MEMBERS + 1) {
      // The story has just outgrown its re-checks: its members' vectors are no longer needed.
      for (const id of story.members) {
        const member = this.byId.get(id);
        if (member) this.memberVectors.delete(member);
      }
    }
    if (n < 3 || n > REFINE_MAX_MEMBERS) return;
    let worst: { member: ArticleState; margin: number } | null = null;
    for (const id of story.members) {
      const member = this.byId.get(id);
      if (!member) continue;
      const cosine = this.cluster.cosineToRest(story.id, this.vectorOf(member));
      // The rest's dates: the member's own day counted once less.
      const restCounts = story.dateCounts
        .map(([d, c]): [Day, number] => [d, d === member.date?.day ? c - 1 : c])
        .filter(([, c]) => c > 0);
      const gap = articleGap(member.date?.day ?? null, this.eventDayOf(member), spanOf(restCounts));
      const names = this.namesOf(member);
      // A member that shares no name with the rest fails whatever its cosine (see MIN_NAMES_FOR_NAME_EVIDENCE).
      const unnamed = enoughNames(names) && !this.sharesName(names, story, true);
      const margin = cosine - joinThreshold(gap, typicalGap(restCounts)) - (unnamed ? 1 : 0);
      if (margin < 0 && (worst === null || margin < worst.margin)) worst = { member, margin };
    }
    if (!worst) return;
    this.refining = true;
    try {
      const dependents = this.detach(worst.member);
      this.place(worst.member);
      for (const depId of dependents) {
        const dep = this.byId.get(depId);
        if (dep) this.place(dep);
      }
    } finally {
      this.refining = false;
    }
  }

  /** The event day an article's text writes (assign.ts writtenEventDay), read once per article version. */
  private eventDayOf(a: ArticleState): Day | null {
    let day = this.eventDays.get(a);
    if (day === undefined) {
      day = writtenEventDay(a.text, a.date?.day ?? null);
      this.eventDays.set(a, day);
    }
    return day;
  }

  /**
   * The names an article version gives (terms.ts NameEvidence), read once and kept in its state, with
   * the parts of its multi-word names (terms.ts nameParts), derived once per process.
   */
  private namesOf(a: ArticleState): readonly string[] {
    if (a.names === undefined) a.names = articleTerms(a.title, a.text, a.description).names;
    let all = this.namesWithParts.get(a.names);
    if (all === undefined) {
      all = [...a.names, ...nameParts(a.names)];
      this.namesWithParts.set(a.names, all);
    }
    return all;
  }

  /** Each name's count of members giving it, built from the members when not yet known. */
  private storyNamesOf(story: StoryState): Map<string, number> {
    let counts = this.storyNames.get(story.id);
    if (counts === undefined) {
      counts = new Map();
      for (const id of story.members) {
        const member = this.byId.get(id);
        if (member) for (const name of this.namesOf(member)) counts.set(name, (counts.get(name) ?? 0) + 1);
      }
      this.storyNames.set(story.id, counts);
    }
    return counts;
  }

  /** Adds (delta 1) or removes (delta -1) a member's names from a story's counts, when they are built. */
  private countNames(storyId: string, names: readonly string[], delta: number): void {
    const counts = this.storyNames.get(storyId);
    if (counts === undefined) return;
    for (const name of names) {
      const n = (counts.get(name) ?? 0) + delta;
      if (n > 0) counts.set(name, n);
      else counts.delete(name);
    }
  }

  /**
   * True when the story names one of `names` (see terms.ts NameEvidence): the same name, or a name on
   * one side that is part of a longer name on the other; two parts alone are no match.
   * With `own`, the names are a member's own and only the rest of the story counts.
   */
  private sharesName(names: readonly string[], story: StoryState, own: boolean): boolean {
    const counts = this.storyNamesOf(story);
    const mine = own ? this.nameSet(names) : null;
    const given = (name: string): boolean => (counts.get(name) ?? 0) > (mine?.has(name) ? 1 : 0);
    for (const name of names) {
      if (name.startsWith(NAME_PART_MARK)) {
        if (given(name.slice(NAME_PART_MARK.length))) return true;
      } else if (given(name) || given(NAME_PART_MARK + name)) return true;
    }
    return false;
  }

  /** A member's names as a set, made once per article version: young stories re-check their members often. */
  private nameSet(names: readonly string[]): ReadonlySet<string> {
    let set = this.nameSets.get(names);
    if (set === undefined) {
      set = new Set(names);
      this.nameSets.set(names, set);
    }
    return set;
  }

  /**
   * False when both stories give enough names to judge by and have none in common: two events of one
   * template, which a merge must not join (see MIN_NAMES_FOR_NAME_EVIDENCE).
   */
  private namesAllowMerge(a: StoryState, b: StoryState): boolean {
    const x = this.storyNamesOf(a);
    const y = this.storyNamesOf(b);
    // The smaller side's names are looked up in the larger's: a grown story may give thousands.
    const [small, large, largeStory] = x.size <= y.size ? [x, y, b] : [y, x, a];
    if (!enoughNames(small.keys()) || !enoughNames(large.keys())) return true;
    return this.sharesName([...small.keys()], largeStory, false);
  }

  private rememberVector(a: ArticleState, vec: InternedVector): void {
    this.memberVectors.delete(a);
    this.memberVectors.set(a, vec);
    if (this.memberVectors.size > MEMBER_VECTOR_CACHE_SIZE) {
      const oldest = this.memberVectors.keys().next().value;
      if (oldest !== undefined) this.memberVectors.delete(oldest);
    }
  }

  private vectorOf(a: ArticleState): InternedVector {
    const cached = this.memberVectors.get(a);
    if (cached) return cached;
    const read = articleTerms(a.title, a.text, a.description);
    a.names ??= read.names;
    const vec = this.cluster.intern(read.vector);
    this.rememberVector(a, vec);
    return vec;
  }

  /**
   * The story-merge pass: the story an article joined is compared, centroid to centroid, with the
   * other stories nearest to that article (the article may bridge two halves of one event); if one
   * is close enough to be the same event, the smaller story is folded into the larger. A handful of
   * cosines, so the cost stays constant. Returns the surviving story, or null.
   */
  private mergeNearest(story: StoryState, candidates: readonly string[]): StoryState | null {
    const span = dateSpan(story);
    const others = candidates.filter((id) => id !== story.id && this.stories.has(id));
    const cosines = this.cluster.storyCosines(story.id, others);
    const ranked = others
      .map((id, i) => ({ id, cosine: cosines[i] ?? 0 }))
      .sort((a, b) => b.cosine - a.cosine || (a.id < b.id ? -1 : 1));
    for (const cand of ranked) {
      const other = this.stories.get(cand.id)!;
      const gap = spanGap(span, dateSpan(other));
      if (gap !== null && gap > TIME_WINDOW_DAYS) continue;
      if (cand.cosine < mergeThreshold(gap)) break;
      if (Math.min(other.members.length, story.members.length) > MERGE_MAX_YOUNG_MEMBERS) continue;
      if (!this.namesAllowMerge(story, other)) continue;
      const [into, from] =
        other.members.length > story.members.length ||
        (other.members.length === story.members.length && other.id < story.id)
          ? [other, story]
          : [story, other];
      this.mergeStories(into, from);
      return into;
    }
    return null;
  }

  /** Moves every member, duplicate and date of `from` into `into`, and drops `from`. */
  private mergeStories(into: StoryState, from: StoryState): void {
    const beforeInto = this.storyDay(into);
    const beforeFrom = this.storyDay(from);
    for (const id of from.members) {
      const a = this.byId.get(id);
      if (a) a.storyId = into.id;
      into.members.push(id);
    }
    for (const id of from.duplicates) {
      const d = this.byId.get(id);
      if (d) d.storyId = into.id;
      into.duplicates.push(id);
    }
    for (const [d, n] of from.dateCounts) addDateCount(into, d, n);
    if (from.arrivalDay < into.arrivalDay) into.arrivalDay = from.arrivalDay;
    into.pool = [...into.pool, ...from.pool].sort((x, y) => y[1] - x[1]).slice(0, SUMMARY_POOL_SIZE);
    this.cluster.mergeStories(into.id, from.id);
    const fromNames = this.storyNames.get(from.id);
    const intoNames = this.storyNames.get(into.id);
    if (fromNames && intoNames)
      fromNames.forEach((n, name) => {
        intoNames.set(name, (intoNames.get(name) ?? 0) + n);
      });
    else this.storyNames.delete(into.id);
    // `from` disappears: its followers and its own link are re-derived.
    from.members = [];
    from.duplicates = [];
    for (const f of this.followers.get(from.id) ?? []) this.dirty.add(f);
    this.dropStory(from);
    this.dirty.add(into.id);
    this.markChanged(beforeFrom);
    if (this.storyDay(into) !== beforeInto) this.dayMoved(into, beforeInto);
    this.markChanged(this.storyDay(into));
  }

  /** Exact hash first, then LSH candidates verified on shingles. Returns the first-seen original. */
  private findDuplicate(
    a: ArticleState,
    shingles: Shingles,
    keys: readonly number[],
  ): { originalId: string; similarity: number } | null {
    if (a.text.trim().length === 0) return null;
    // A stub text (site furniture, not the article) is served under many headlines: such pages are
    // copies only when their headlines agree too (see stubs.ts).
    const stub = isStubText(shingles.length);
    const exact = a.contentHash ? this.hashes.get(a.contentHash) : undefined;
    if (exact && exact !== a.id && this.byId.get(exact)?.storyId) {
      if (!stub || sameHeadline(a.title, this.byId.get(exact)?.title ?? null))
        return { originalId: exact, similarity: 1 };
    }
    let best: { originalId: string; similarity: number; order: number } | null = null;
    for (const id of this.duplicateCandidates(a.id, keys)) {
      const cand = this.byId.get(id);
      if (!cand || cand.storyId === null || cand.duplicateOf !== null) continue;
      if (stub && !sameHeadline(a.title, cand.title)) continue;
      const verdict = nearDuplicateVerdict(shingles, candidateShingles(cand.text));
      if (!verdict.duplicate) continue;
      const candOrder = Date.parse(cand.arrivedAt);
      if (
        !best ||
        verdict.similarity > best.similarity ||
        (verdict.similarity === best.similarity &&
          (candOrder < best.order || (candOrder === best.order && id < best.originalId)))
      ) {
        best = { originalId: id, similarity: verdict.similarity, order: candOrder };
      }
    }
    return best ? { originalId: best.originalId, similarity: best.similarity } : null;
  }

  /** The articles sharing an LSH bucket with `id`: the MAX_VERIFIED_CANDIDATES agreeing on most bands. */
  private duplicateCandidates(id: string, keys: readonly number[]): string[] {
    const bands = new Map<string, number>();
    const meet = (other: string) => {
      if (other !== id) bands.set(other, (bands.get(other) ?? 0) + 1);
    };
    for (const key of keys) {
      const bucket = this.buckets.get(key);
      if (bucket === undefined) continue;
      if (typeof bucket === 'string') meet(bucket);
      else for (const other of bucket) meet(other);
    }
    const candidates = [...bands.keys()];
    if (candidates.length <= MAX_VERIFIED_CANDIDATES) return candidates;
    // A stable sort: among equal counts, the order they were met in.
    return candidates
      .sort((x, y) => (bands.get(y) ?? 0) - (bands.get(x) ?? 0))
      .slice(0, MAX_VERIFIED_CANDIDATES);
  }

  /**
   * Removes an article's current version from every index (for replacement or rejection) and
   * returns the ids of the duplicates that pointed at it, detached too, to be placed again.
   */
  private detach(a: ArticleState): string[] {
    const deps = this.dependents.get(a.id) ?? [];
    this.dependents.delete(a.id);
    for (const depId of deps) {
      const dep = this.byId.get(depId);
      if (dep) this.detachOne(dep);
    }
    this.detachOne(a);
    return deps;
  }

  private detachOne(a: ArticleState): void {
    if (a.rejected !== null || a.storyId === null) return;
    const story = this.stories.get(a.storyId);
    if (a.duplicateOf !== null) {
      const list = this.dependents.get(a.duplicateOf);
      if (list)
        this.dependents.set(
          a.duplicateOf,
          list.filter((x) => x !== a.id),
        );
      if (story) {
        story.duplicates = story.duplicates.filter((x) => x !== a.id);
        this.markChanged(this.storyDay(story));
      }
    } else {
      if (a.contentHash && this.hashes.get(a.contentHash) === a.id) this.hashes.delete(a.contentHash);
      for (const key of a.lsh) this.bucketRemove(key, a.id);
      a.lsh = [];
      const vec = this.vectorOf(a);
      this.cluster.removeDocument(vec);
      if (story) {
        const before = this.storyDay(story);
        this.cluster.removeFromStory(story.id, vec);
        story.members = story.members.filter((x) => x !== a.id);
        this.countNames(story.id, this.namesOf(a), -1);
        if (a.date) addDateCount(story, a.date.day, -1);
        this.markChanged(before);
        if (story.members.length === 0) {
          this.dropStory(story);
        } else {
          const inPool = story.pool.some(([id]) => id === a.id);
          story.pool = story.pool.filter(([id]) => id !== a.id);
          if (inPool) {
            refillPool(story);
            this.dirty.add(story.id);
          }
          const after = this.storyDay(story);
          if (after !== before) this.dayMoved(story, before);
          this.markChanged(after);
        }
      }
    }
    a.storyId = null;
    a.duplicateOf = null;
    a.similarity = null;
  }

  private dropStory(story: StoryState): void {
    for (const dupId of story.duplicates) {
      const dup = this.byId.get(dupId);
      if (dup) dup.storyId = null;
    }
    if (story.followUpTo) this.followers.get(story.followUpTo)?.delete(story.id);
    for (const f of this.followers.get(story.id) ?? []) {
      const fs = this.stories.get(f);
      if (fs) {
        fs.followUpTo = null;
        this.markChanged(this.storyDay(fs));
      }
    }
    this.followers.delete(story.id);
    this.stories.delete(story.id);
    this.storyNames.delete(story.id);
    this.dirty.delete(story.id);
  }

  private bucketAdd(key: number, id: string): void {
    const bucket = this.buckets.get(key);
    if (bucket === undefined) this.buckets.set(key, id);
    else if (typeof bucket === 'string') this.buckets.set(key, [bucket, id]);
    else if (bucket.length < BUCKET_MAX_ARTICLES) bucket.push(id);
  }

  private bucketRemove(key: number, id: string): void {
    const bucket = this.buckets.get(key);
    if (bucket === undefined) return;
    if (typeof bucket === 'string') {
      if (bucket === id) this.buckets.delete(key);
      return;
    }
    const rest = bucket.filter((x) => x !== id);
    if (rest.length === 0) this.buckets.delete(key);
    else this.buckets.set(key, rest.length === 1 ? rest[0]! : rest);
  }

  /**
   * Recomputes the derived data of every dirty story: earliest day first, so a follow-up's parent
   * is settled before the follow-up links to it. Deterministic, so a restored engine flushes alike.
   */
  private flush(): void {
    if (this.dirty.size === 0) return;
    const stories = [...this.dirty]
      .map((id) => this.stories.get(id))
      .filter((st): st is StoryState => st !== undefined)
      .map((st) => ({ st, day: this.storyDay(st) }))
      .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.st.id < b.st.id ? -1 : 1));
    this.dirty.clear();
    for (const { st } of stories) this.resummarise(st);
    this.supplied.clear();
    for (const { st } of stories) this.relink(st);
  }

  // ── per-story derived data ───────────────────────────────────────────────────────────────

  private resummarise(story: StoryState): void {
    const sources = this.summarySources(story);
    const supplied = this.supplied.get(story.id);
    const derived =
      supplied !== undefined && sameSources(supplied.sources, sources)
        ? supplied.summary
        : summariseSources(sources, this.summarySentences);
    story.headline = derived.headline;
    story.summary = derived.summary;
    story.figures = derived.figures;
    story.disagreements = derived.disagreements;
    for (const f of this.followers.get(story.id) ?? []) {
      const fs = this.stories.get(f);
      if (fs) this.markChanged(this.storyDay(fs));
    }
  }

  /** The articles of the story's summary pool, as the summariser reads them. */
  private summarySources(story: StoryState): SummarySource[] {
    return story.pool
      .map(([id]) => this.byId.get(id))
      .filter((a): a is ArticleState => a !== undefined)
      .map((a) => ({ articleId: a.id, title: a.title, text: a.text, outlet: a.outlet }));
  }

  /**
   * The summaries the next read would compute (one job per dirty story), for a caller that can
   * compute them elsewhere, such as on worker threads, and hand them back with supplySummaries.
   */
  summaryJobs(): SummaryJob[] {
    const jobs: SummaryJob[] = [];
    for (const id of this.dirty) {
      const story = this.stories.get(id);
      if (story !== undefined)
        jobs.push({ storyId: id, sentences: this.summarySentences, sources: this.summarySources(story) });
    }
    return jobs;
  }

  /**
   * Summaries computed elsewhere for `jobs` (summaryJobs), in the same order. The next read uses each
   * one whose story still has the same pool, and computes any other itself, so a stale or missing
   * result can cost time but never give a wrong summary.
   */
  supplySummaries(jobs: readonly SummaryJob[], summaries: readonly StorySummary[]): void {
    if (jobs.length !== summaries.length)
      throw new RangeError(`Got ${summaries.length} summaries for ${jobs.length} summary jobs.`);
    jobs.forEach((job, i) => {
      this.supplied.set(job.storyId, { sources: job.sources, summary: summaries[i]! });
    });
  }

  /** Recomputes the story's follow-up link (earlier-day stories only). */
  private relink(story: StoryState): void {
    const day = this.storyDay(story);
    const candidates = this.cluster
      .relatedStories(story.id, (id) => {
        const other = this.stories.get(id);
        return other !== undefined && this.storyDay(other) < day;
      })
      .map((c) => ({ ...c, day: this.storyDay(this.stories.get(c.storyId)!) }));
    const next = chooseFollowUp(day, candidates, (id) => this.stories.get(id)?.followUpTo ?? null);
    if (next === story.followUpTo) return;
    if (story.followUpTo) this.followers.get(story.followUpTo)?.delete(story.id);
    story.followUpTo = next;
    this.markChanged(day);
    if (next) this.addFollower(next, story.id);
  }

  private storyDay(story: StoryState): Day {
    let min: Day | null = null;
    for (const [d] of story.dateCounts) if (min === null || d < min) min = d;
    return min ?? story.arrivalDay;
  }

  /** The story moved from `before` to a new day: both days changed, and so did its followers' links. */
  private dayMoved(story: StoryState, before: Day): void {
    this.markChanged(before);
    this.markChanged(this.storyDay(story));
    for (const f of this.followers.get(story.id) ?? []) {
      const fs = this.stories.get(f);
      if (fs) this.markChanged(this.storyDay(fs));
    }
  }

  private markChanged(day: Day): void {
    this.changed.add(day);
  }

  private addDependent(originalId: string, dupId: string): void {
    const list = this.dependents.get(originalId);
    if (list) {
      if (!list.includes(dupId)) list.push(dupId);
    } else this.dependents.set(originalId, [dupId]);
  }

  private addFollower(storyId: string, followerId: string): void {
    const set = this.followers.get(storyId);
    if (set) set.add(followerId);
    else this.followers.set(storyId, new Set([followerId]));
  }

  // ── read side ────────────────────────────────────────────────────────────────────────────

  records(): ArticleRecord[] {
    return [...this.articles.values()].map((a) => {
      const placed = this.placement(a);
      return {
        source: a.source,
        id: a.id,
        title: a.title,
        text: a.text,
        publishedAt: placed?.publishedAt ?? null,
        dateSource: placed?.dateSource ?? null,
        storyId: a.storyId,
        duplicateOf: a.duplicateOf ? (this.byId.get(a.duplicateOf)?.source ?? null) : null,
        rejected: a.rejected,
        outlet: a.outlet,
        url: a.url,
        similarity: a.similarity,
        arrivedAt: a.arrivedAt,
        contentHash: a.contentHash ?? undefined,
      } satisfies ArticleRecord;
    });
  }

  /** An article's day and date source: its own date, else its story's, else its arrival day. */
  private placement(a: ArticleState): { publishedAt: Day; dateSource: DateSource } | null {
    if (a.rejected !== null) return null;
    if (a.date) return { publishedAt: a.date.day, dateSource: a.date.source };
    const story = a.storyId ? this.stories.get(a.storyId) : undefined;
    const arrival = dayOf(new Date(a.arrivedAt));
    if (!story) return { publishedAt: arrival, dateSource: 'arrival' };
    const day = this.storyDay(story);
    if (story.dateCounts.length === 0 && day === arrival) return { publishedAt: day, dateSource: 'arrival' };
    return { publishedAt: day, dateSource: 'story' };
  }

  takeChangedDays(): Day[] {
    this.flush();
    const days = [...this.changed].sort();
    this.changed.clear();
    return days;
  }

  days(): Day[] {
    const set = new Set<Day>();
    for (const st of this.stories.values()) set.add(this.storyDay(st));
    return [...set].sort();
  }

  digest(day: Day): Digest {
    this.flush();
    const stories = [...this.stories.values()].filter((st) => this.storyDay(st) === day);
    const coverage = (st: StoryState): number => st.members.length + st.duplicates.length;
    stories.sort((a, b) => coverage(b) - coverage(a) || (a.id < b.id ? -1 : 1));
    return { schemaVersion: 1, date: day, stories: stories.map((st) => this.storyView(st)) };
  }

  private storyView(st: StoryState): DigestStory {
    const articles = st.members.map((id) => {
      const a = this.byId.get(id)!;
      const placed = this.placement(a)!;
      return {
        id: a.id,
        source: a.source,
        title: a.title,
        outlet: a.outlet,
        url: a.url,
        publishedAt: placed.publishedAt,
        dateSource: placed.dateSource,
      };
    });
    const duplicates = st.duplicates.map((id) => {
      const d = this.byId.get(id)!;
      return {
        source: d.source,
        duplicateOf: this.byId.get(d.duplicateOf ?? '')?.source ?? '',
        similarity: d.similarity ?? 1,
        outlet: d.outlet,
        url: d.url,
      };
    });
    const outlets: string[] = [];
    for (const o of [...articles.map((a) => a.outlet), ...duplicates.map((d) => d.outlet)]) {
      if (o && !outlets.includes(o)) outlets.push(o);
    }
    const parent = st.followUpTo ? this.stories.get(st.followUpTo) : undefined;
    return {
      id: st.id,
      headline: st.headline,
      summary: st.summary,
      articles,
      duplicates,
      figures: st.figures,
      disagreements: st.disagreements,
      followUpTo: parent
        ? followUpLink(
            parent.id,
            this.storyDay(parent),
            parent.headline,
            parent.summary.map((s) => this.byId.get(s.articleId)?.url),
          )
        : null,
      outlets,
    };
  }
}

/** Publication order for a replay: day (an undated article by its arrival day), arrival, source key. */
function byPublication(a: ArticleState, b: ArticleState): number {
  const dayA = a.date?.day ?? a.arrivedAt.slice(0, 10);
  const dayB = b.date?.day ?? b.arrivedAt.slice(0, 10);
  if (dayA !== dayB) return dayA < dayB ? -1 : 1;
  if (a.arrivedAt !== b.arrivedAt) return a.arrivedAt < b.arrivedAt ? -1 : 1;
  return a.source < b.source ? -1 : a.source > b.source ? 1 : 0;
}

/** The extracted article an original's stored state was made from (every field the engine reads). */
function asExtracted(a: ArticleState): ExtractedArticle {
  return {
    format: 'text',
    title: a.title,
    text: a.text,
    url: a.url,
    outlet: a.outlet,
    date: a.date,
    description: a.description,
  };
}

/**
 * A copy of a string that shares no memory with the text it was cut from. V8 keeps a substring as a
 * view of its parent, so a 60-character title sliced from a decoded page would keep the whole page
 * alive for as long as the engine holds the article: at 10k articles that doubled the engine's heap.
 */
function detached(value: string): string {
  return value.length < MIN_SLICED_STRING ? value : (JSON.parse(JSON.stringify(value)) as string);
}

function detachedOrNull(value: string | null): string | null {
  return value === null ? null : detached(value);
}

/** V8 copies substrings shorter than this (SlicedString::kMinLength) rather than making views. */
const MIN_SLICED_STRING = 13;

/** The first and last day of a story's dated members, or null when none is dated. */
function dateSpan(story: StoryState): readonly [Day, Day] | null {
  return spanOf(story.dateCounts);
}

/** First and last day of a [day, count] list, or null when it holds none. */
function spanOf(dateCounts: readonly (readonly [Day, number])[]): readonly [Day, Day] | null {
  let min: Day | null = null;
  let max: Day | null = null;
  for (const [d] of dateCounts) {
    if (min === null || d < min) min = d;
    if (max === null || d > max) max = d;
  }
  return min !== null && max !== null ? [min, max] : null;
}

function addDateCount(story: StoryState, day: Day, delta: number): void {
  const entry = story.dateCounts.find(([d]) => d === day);
  if (entry) entry[1] += delta;
  else if (delta > 0) story.dateCounts.push([day, delta]);
  story.dateCounts = story.dateCounts.filter(([, n]) => n > 0);
}

/** Adds a member to the bounded summary pool if it is closer to the centroid than the weakest. */
function addToPool(story: StoryState, articleId: string, cosine: number): void {
  if (story.pool.length < SUMMARY_POOL_SIZE) {
    story.pool.push([articleId, cosine]);
    return;
  }
  let weakest = 0;
  for (let i = 1; i < story.pool.length; i++) if (story.pool[i]![1] < story.pool[weakest]![1]) weakest = i;
  if (cosine <= story.pool[weakest]![1]) return;
  story.pool[weakest] = [articleId, cosine];
}

/** After a pool member left: take the earliest members not in the pool (bounded scan). */
function refillPool(story: StoryState): void {
  const inPool = new Set(story.pool.map(([id]) => id));
  for (const id of story.members) {
    if (story.pool.length >= SUMMARY_POOL_SIZE) break;
    if (!inPool.has(id)) story.pool.push([id, 0]);
  }
}

/** True when a list of names (parts aside) is long enough to judge by (MIN_NAMES_FOR_NAME_EVIDENCE). */
function enoughNames(names: Iterable<string>): boolean {
  let n = 0;
  for (const name of names)
    if (!name.startsWith(NAME_PART_MARK) && ++n >= MIN_NAMES_FOR_NAME_EVIDENCE) return true;
  return false;
}
