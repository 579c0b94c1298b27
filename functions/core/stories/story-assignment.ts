/**
 * Story assignment: an article that is not a copy joins the nearest eligible story whose join bar
 * it clears (and whose names it shares, when it gives enough), or founds a new one; then nearby
 * stories it bridges may merge, and a young story re-checks its members so that the grouping does
 * not hinge on which report arrived first.
 */
import type { Day, IngestOutcome } from '../types.ts';
import { withdrawArticle } from './article-withdrawal.ts';
import {
  articleGap,
  joinThreshold,
  MAX_MERGES_PER_ARTICLE,
  MERGE_CANDIDATES,
  typicalGap,
  withinTimeWindow,
} from './assign.ts';
import type { InternedVector } from './cluster.ts';
import { lshKeys, minHash, shingleSet } from './fingerprint.ts';
import { stableId } from './hash.ts';
import type { ArticleSignals } from './signals.ts';
import type { ArticleState, StoryState } from './state.ts';
import { addDateCount, dateSpan, dayOf, spanOf, storyDay } from './story-days.ts';
import { mergeNearest } from './story-merging.ts';
import { enoughNames } from './story-names.ts';
import { addToPool } from './summary-pool.ts';
import { articleTerms } from './terms.ts';
import type { WorkingSet } from './working-set.ts';

/**
 * A story is re-checked member by member while it has at most this many members: a young story's
 * centroid is one or two articles, so arrival order decides what joins it until it has grown.
 */
export const REFINE_MAX_MEMBERS = 8;

/** What placing an article may reuse from its signals (signals.ts); the rest is read from its text. */
export type PlacementSignals = Pick<ArticleSignals, 'shingles'> &
  Partial<Pick<ArticleSignals, 'terms' | 'lshKeys' | 'names' | 'nameParts'>>;

/** Duplicate check, then clustering. The article state is already registered. */
export function placeArticle(ws: WorkingSet, a: ArticleState, signals?: PlacementSignals): IngestOutcome {
  const shingles = signals?.shingles ?? shingleSet(a.text);
  const keys = signals?.lshKeys ?? lshKeys(minHash(shingles));
  const dup = ws.duplicates.find(a, shingles, keys, ws.byId);
  if (dup) {
    const original = ws.byId.get(dup.originalId)!;
    const story = ws.stories.get(original.storyId!)!;
    a.duplicateOf = original.id;
    a.similarity = dup.similarity;
    a.storyId = story.id;
    story.duplicates.push(a.id);
    ws.duplicates.addDependent(original.id, a.id);
    ws.markChanged(storyDay(story));
    return {
      kind: 'duplicate',
      articleId: a.id,
      duplicateOf: original.source,
      similarity: dup.similarity,
      day: storyDay(story),
    };
  }
  // An original: index its fingerprints and cluster it.
  ws.duplicates.addOriginal(a, keys);
  a.lsh = keys;
  const vec = internTerms(ws, a, signals);
  ws.members.remember(a, vec);
  const names = ws.names.namesOf(a);
  const namesCount = enoughNames(names);
  const articleDay = a.date?.day ?? null;
  const eventDay = ws.members.eventDayOf(a);
  const arrivalDay = dayOf(new Date(a.arrivedAt));
  const ranked = ws.cluster.rank(vec, (storyId) => {
    if (ws.storyUnread(storyId)) return null;
    const st = ws.stories.get(storyId);
    if (st === undefined || ws.retired(storyId, arrivalDay)) return false;
    const span = dateSpan(st);
    return withinTimeWindow(articleDay, span) || (eventDay !== null && withinTimeWindow(eventDay, span));
  });
  let target: StoryState | undefined;
  let cosine = 1;
  for (const cand of ranked) {
    const st = ws.stories.get(cand.storyId)!;
    const gap = articleGap(articleDay, eventDay, dateSpan(st));
    // Days late count in units of the story's own pace (assign.ts typicalGap).
    if (
      cand.cosine >= joinThreshold(gap, typicalGap(st.dateCounts)) &&
      (!namesCount || ws.names.shares(names, st, false))
    ) {
      target = st;
      cosine = cand.cosine;
      break;
    }
  }
  ws.cluster.addDocument(vec);
  const before = target ? storyDay(target) : null;
  if (!target) {
    target = newStory(freshStoryId(ws, a.id), arrivalDay);
    ws.stories.set(target.id, target);
  }
  ws.noteArticleDay(target.id, arrivalDay);
  a.storyId = target.id;
  target.members.push(a.id);
  ws.names.count(target.id, names, 1);
  if (a.date) addDateCount(target, a.date.day, 1);
  ws.cluster.addToStory(target.id, vec);
  addToPool(target, a.id, cosine);
  const after = storyDay(target);
  if (before !== null && before !== after) ws.dayMoved(target, before);
  // The centroid (and maybe the pool or the day) moved: summary and follow-up link are re-derived on the next read.
  ws.dirty.add(target.id);
  ws.markChanged(after);
  const bridged = ranked.slice(0, MERGE_CANDIDATES).map((c) => c.storyId);
  for (let i = 0; i < MAX_MERGES_PER_ARTICLE; i++) {
    const merged = mergeNearest(ws, target, bridged);
    if (!merged) break;
    target = merged;
  }
  if (!ws.refining) refineYoungStory(ws, target);
  // The re-check may have moved this very article: report where it ended.
  const final = ws.stories.get(a.storyId ?? '') ?? target;
  return { kind: 'story', articleId: a.id, storyId: final.id, day: storyDay(final) };
}

/** The article's interned term vector, from its signals when given (noting its names), else from its text. */
function internTerms(ws: WorkingSet, a: ArticleState, signals?: PlacementSignals): InternedVector {
  const terms = signals?.terms;
  if (terms === undefined) {
    const read = articleTerms(a.title, a.text, a.description);
    a.names = read.names;
    return ws.cluster.intern(read.vector);
  }
  const vec = 'table' in terms ? ws.cluster.internNumbered(terms) : ws.cluster.internPacked(terms);
  if (signals?.names) {
    a.names = signals.names;
    if (signals.nameParts) ws.names.rememberParts(a.names, signals.nameParts);
  }
  return vec;
}

function newStory(id: string, arrivalDay: Day): StoryState {
  return {
    id,
    members: [],
    duplicates: [],
    dateCounts: [],
    arrivalDay,
    pool: [],
    headline: '',
    summary: [],
    figures: [],
    disagreements: [],
    followUpTo: null,
  };
}

/** A story id derived from its founder; a founder split off its old story needs another one. */
function freshStoryId(ws: WorkingSet, founderId: string): string {
  let id = stableId('s', founderId);
  for (let n = 2; ws.stories.has(id); n++) id = stableId('s', `${founderId}#${n}`);
  return id;
}

/**
 * Re-checks a young story: each member is compared with the rest as if it arrived last, against the
 * same join bar, and the member that fails by most is placed again like a new article. One member per
 * call keeps the work bounded; the story's next arrivals continue the clean-up.
 */
function refineYoungStory(ws: WorkingSet, story: StoryState): void {
  const n = story.members.length;
  if (n === REFINE_MAX_MEMBERS + 1) {
    // The story has just outgrown its re-checks: its members' vectors are no longer needed.
    for (const id of story.members) {
      const member = ws.byId.get(id);
      if (member) ws.members.forget(member);
    }
  }
  if (n < 3 || n > REFINE_MAX_MEMBERS) return;
  let worst: { member: ArticleState; margin: number } | null = null;
  for (const id of story.members) {
    const member = ws.byId.get(id);
    if (!member) continue;
    const cosine = ws.cluster.cosineToRest(story.id, ws.members.vectorOf(member, ws.cluster));
    // The rest's dates: the member's own day counted once less.
    const restCounts = story.dateCounts
      .map(([d, c]): [Day, number] => [d, d === member.date?.day ? c - 1 : c])
      .filter(([, c]) => c > 0);
    const gap = articleGap(member.date?.day ?? null, ws.members.eventDayOf(member), spanOf(restCounts));
    const names = ws.names.namesOf(member);
    // A member that shares no name with the rest fails whatever its cosine.
    const unnamed = enoughNames(names) && !ws.names.shares(names, story, true);
    const margin = cosine - joinThreshold(gap, typicalGap(restCounts)) - (unnamed ? 1 : 0);
    if (margin < 0 && (worst === null || margin < worst.margin)) worst = { member, margin };
  }
  if (!worst) return;
  ws.refining = true;
  try {
    const dependents = withdrawArticle(ws, worst.member);
    placeArticle(ws, worst.member);
    for (const depId of dependents) {
      const dep = ws.byId.get(depId);
      if (dep) placeArticle(ws, dep);
    }
  } finally {
    ws.refining = false;
  }
}

/**
 * Places articles again as if they arrived now: all are withdrawn first, then placed in the given order
 * with the duplicates that pointed at them. For a batch that founded a story while a concurrent batch
 * founded one for the same event: placed again, they join it as they would have had it come first.
 */
export function placeAgain(ws: WorkingSet, articleIds: readonly string[]): void {
  const again: ArticleState[] = [];
  for (const id of articleIds) {
    const a = ws.byId.get(id);
    if (a === undefined || a.rejected !== null || a.duplicateOf !== null || a.storyId === null) continue;
    const dependents = withdrawArticle(ws, a);
    again.push(a);
    for (const depId of dependents) {
      const dep = ws.byId.get(depId);
      if (dep) again.push(dep);
    }
  }
  for (const a of again) placeArticle(ws, a);
}
