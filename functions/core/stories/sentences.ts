/**
 * Sentence-level helpers shared by the summarisers: term bags, cosine, and the test for
 * sentences that cannot stand alone.
 */
import { splitSentences } from '../text.ts';
import { contentTerms } from './terms.ts';

/** Sentences shorter than this many words are fragments (bylines, "Read more", captions). */
export const MIN_SENTENCE_WORDS = 6;
/** Sentences longer than this are run-ons glued by bad markup; they make poor summaries. */
export const MAX_SENTENCE_WORDS = 80;

export interface Sentence {
  readonly text: string;
  /** 0-based position in its article. */
  readonly position: number;
  readonly words: number;
  readonly terms: Map<string, number>;
}

/** Splits and annotates the sentences of an article, dropping fragments and headings-like lines. */
export function articleSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  let position = 0;
  for (const raw of splitSentences(text)) {
    const sentenceText = raw.trim();
    const words = sentenceText.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
    const terms = new Map<string, number>();
    for (const t of contentTerms(sentenceText)) terms.set(t, (terms.get(t) ?? 0) + 1);
    out.push({ text: sentenceText, position, words, terms });
    position++;
  }
  return out;
}

/** True for a sentence that reads as a real sentence: long enough, not a question heading, ends like prose. */
export function isSummarisable(s: Sentence): boolean {
  if (s.words < MIN_SENTENCE_WORDS || s.words > MAX_SENTENCE_WORDS) return false;
  if (/\?["'”’]?$/.test(s.text)) return false;
  if (!/[.!"'”’)]$/.test(s.text)) return false;
  return s.terms.size > 0;
}

/**
 * Openings that point back to something the reader has not seen: a pronoun subject, a
 * connective ("But", "However"), or a bare continuation ("He added: ..."). In a summary built
 * from several articles such a sentence loses its antecedent.
 */
const CONTEXT_DEPENDENT_OPENING =
  /^["'“‘]?(?:he|she|they|it|its|his|her|their|this|these|those|that|there|but|and|or|so|however|also|meanwhile|still|yet|then|instead|moreover|furthermore|additionally|nevertheless)\b/i;

export function isContextDependent(sentence: string): boolean {
  if (CONTEXT_DEPENDENT_OPENING.test(sentence.trim())) return true;
  return /^["'“‘]?(?:he|she|they) (?:added|said|continued|went on)\b/i.test(sentence.trim());
}

/** Weighted cosine of two term bags under a weighting function. */
export function weightedCosine(
  a: ReadonlyMap<string, number>,
  b: ReadonlyMap<string, number>,
  weight: (term: string) => number,
): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [t, x] of a) {
    const w = weight(t);
    na += (x * w) ** 2;
    const y = b.get(t);
    if (y !== undefined) dot += x * y * w * w;
  }
  for (const [t, y] of b) nb += (y * weight(t)) ** 2;
  if (dot === 0) return 0;
  return dot / Math.sqrt(na * nb);
}

/** PageRank damping for sentence centrality (the usual 0.85). */
export const CENTRALITY_DAMPING = 0.85;
/** Power-iteration rounds: scores settle well before this on article-sized graphs. */
export const CENTRALITY_ITERATIONS = 40;

/**
 * TextRank centrality (Mihalcea & Tarau 2004): sentences are linked by shared content terms,
 * normalised by log lengths, and ranked by PageRank. A sentence that shares words with many
 * others states what the article is about. Returns scores scaled to a maximum of 1.
 */
export function centralityScores(sentences: readonly Sentence[]): number[] {
  const k = sentences.length;
  const weights: number[][] = [];
  const outSum = new Array<number>(k).fill(0);
  for (let i = 0; i < k; i++) {
    const row = new Array<number>(k).fill(0);
    const a = sentences[i]!.terms;
    for (let j = 0; j < k; j++) {
      if (i === j) continue;
      const b = sentences[j]!.terms;
      if (a.size < 2 || b.size < 2) continue;
      let overlap = 0;
      for (const t of a.keys()) if (b.has(t)) overlap++;
      const w = overlap / (Math.log(a.size) + Math.log(b.size));
      row[j] = w;
      outSum[i]! += w;
    }
    weights.push(row);
  }
  let score = new Array<number>(k).fill(1);
  for (let iter = 0; iter < CENTRALITY_ITERATIONS; iter++) {
    const next = new Array<number>(k).fill(1 - CENTRALITY_DAMPING);
    for (let j = 0; j < k; j++) {
      if (outSum[j] === 0) continue;
      const share = (CENTRALITY_DAMPING * score[j]!) / outSum[j]!;
      const row = weights[j]!;
      for (let i = 0; i < k; i++) if (row[i]! > 0) next[i]! += row[i]! * share;
    }
    score = next;
  }
  const max = Math.max(1e-9, ...score);
  return score.map((s) => s / max);
}
