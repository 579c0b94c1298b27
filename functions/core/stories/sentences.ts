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
