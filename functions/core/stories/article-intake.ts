/**
 * Taking in one file's outcome: a new or changed article is placed (its old version withdrawn
 * first), a rejection is recorded, and the copies that pointed at an old version are placed again.
 * The same source with the same version hash is 'unchanged', which makes a redelivered file a no-op.
 */
import type { ExtractedArticle, IngestOutcome } from '../types.ts';
import { withdrawArticle } from './article-withdrawal.ts';
import { rememberShingles, textFingerprint } from './fingerprint.ts';
import { sha1Hex, stableId } from './hash.ts';
import { type ArticleSignals, versionHashOf } from './signals.ts';
import type { ArticleState } from './state.ts';
import { placeArticle } from './story-assignment.ts';
import type { WorkingSet } from './working-set.ts';

export interface ArticleInput {
  readonly source: string;
  readonly article: ExtractedArticle;
  readonly arrivedAt: Date;
  /** Must be `articleSignals(article)` when given (computed off this thread); computed here when absent. */
  readonly signals?: ArticleSignals;
}

export interface RejectionInput {
  readonly source: string;
  readonly reason: string;
  readonly arrivedAt: Date;
  readonly contentHash?: string;
}

export function ingestArticle(ws: WorkingSet, input: ArticleInput): IngestOutcome {
  const { source, article, arrivedAt } = input;
  const versionHash = input.signals?.versionHash ?? versionHashOf(article);
  const existing = ws.articles.get(source);
  if (existing && existing.rejected === null && existing.versionHash === versionHash) {
    return { kind: 'unchanged', articleId: existing.id };
  }
  const id = existing?.id ?? stableId('a', source);
  const dependents = existing ? withdrawArticle(ws, existing) : [];
  // In process, the term vector is left to placement: a duplicate never needs it.
  const signals = input.signals ?? { versionHash, ...textFingerprint(article.text) };
  if (input.signals) rememberShingles(article.text, input.signals.shingles);
  const state: ArticleState = {
    source: unsharedCopy(source),
    id,
    title: unsharedCopyOrNull(article.title),
    text: unsharedCopy(article.text),
    url: unsharedCopyOrNull(article.url),
    outlet: unsharedCopyOrNull(article.outlet),
    description: unsharedCopyOrNull(article.description),
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
  ws.register(state);
  if (input.signals) ws.members.setEventDay(state, input.signals.eventDay);
  const outcome = placeArticle(ws, state, signals);
  placeAgain(ws, dependents);
  return outcome;
}

export function rejectArticle(ws: WorkingSet, input: RejectionInput): IngestOutcome {
  const existing = ws.articles.get(input.source);
  const versionHash = sha1Hex(`rejected\u0000${input.reason}\u0000${input.contentHash ?? ''}`);
  if (existing && existing.rejected !== null && existing.versionHash === versionHash) {
    return { kind: 'unchanged', articleId: existing.id };
  }
  const id = existing?.id ?? stableId('a', input.source);
  const dependents = existing ? withdrawArticle(ws, existing) : [];
  ws.register({
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
  });
  placeAgain(ws, dependents);
  return { kind: 'rejected', articleId: id, reason: input.reason };
}

/** Articles that duplicated a withdrawn version are placed again against what is there now. */
function placeAgain(ws: WorkingSet, ids: readonly string[]): void {
  for (const id of ids) {
    const dep = ws.byId.get(id);
    if (dep) placeArticle(ws, dep);
  }
}

/**
 * A copy of a string sharing no memory with the text it was cut from: V8 keeps a substring as a view
 * of its parent, so a title sliced from a page would otherwise keep the whole page alive.
 */
function unsharedCopy(value: string): string {
  return value.length < MIN_SLICED_STRING ? value : (JSON.parse(JSON.stringify(value)) as string);
}

function unsharedCopyOrNull(value: string | null): string | null {
  return value === null ? null : unsharedCopy(value);
}

/** V8 copies substrings shorter than this (SlicedString::kMinLength) rather than making views. */
const MIN_SLICED_STRING = 13;
