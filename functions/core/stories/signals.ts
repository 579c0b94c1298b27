/**
 * What the story engine derives from an article on its own, before it looks at any other article:
 * the version hash, the duplicate fingerprint and the term vector. Computing them is most of an
 * article's cost in the engine and needs nothing but the article, so a caller with spare cores can
 * compute them elsewhere (a worker thread) and hand them to `StoryEngine.ingest`; without them the
 * engine computes the same values itself.
 */
import type { Day, ExtractedArticle } from '../types.ts';
import { nameParts } from './article-names.ts';
import { writtenEventDay } from './assign.ts';
import { lshKeys, minHash, type Shingles, textFingerprint } from './fingerprint.ts';
import { sha1Hex } from './hash.ts';
import { type NumberedTermVector, type PackedTermVector, packTermVector } from './term-numbering.ts';
import { articleTerms } from './terms.ts';

export interface ArticleSignals {
  /** Changes whenever anything the engine stores about the article changes (a re-dropped file). */
  readonly versionHash: string;
  /** Exact-duplicate key of the normalised body. */
  readonly contentHash: string;
  /** Hashed word shingles of the body, for near-duplicate detection. */
  readonly shingles: Shingles;
  /** The LSH band keys of the shingles' MinHash signature, for near-duplicate candidates. */
  readonly lshKeys: number[];
  /** The event day the text writes, if any (assign.ts writtenEventDay). */
  readonly eventDay: Day | null;
  /**
   * Weighted content terms of title, description and body, for clustering: packed (cheap to clone),
   * or numbered in the TermTable of the thread that sent them.
   */
  readonly terms: PackedTermVector | NumberedTermVector;
  /** The names the article gives (terms.ts NameEvidence): what a story must share to take it. */
  readonly names: readonly string[];
  /** The parts of its multi-word names (terms.ts nameParts), worked out here to spare the engine's thread. */
  readonly nameParts: readonly string[];
}

export function versionHashOf(article: ExtractedArticle): string {
  return sha1Hex(
    JSON.stringify([
      article.title,
      article.text,
      article.url,
      article.outlet,
      article.date?.day ?? null,
      article.date?.source ?? null,
      article.description,
    ]),
  );
}

export function articleSignals(
  article: ExtractedArticle,
): ArticleSignals & { readonly terms: PackedTermVector } {
  const { contentHash, shingles } = textFingerprint(article.text);
  const { vector, names } = articleTerms(article.title, article.text, article.description);
  return {
    versionHash: versionHashOf(article),
    contentHash,
    shingles,
    lshKeys: lshKeys(minHash(shingles)),
    eventDay: writtenEventDay(article.text, article.date?.day ?? null),
    terms: packTermVector(vector),
    names,
    nameParts: nameParts(names),
  };
}
