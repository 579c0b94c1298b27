/**
 * An article's term vector for clustering: the weighted term frequencies of its headline and body
 * (lead sentences and names weigh more; a description counts as body text), read in one pass with
 * its names. It depends only on the article, so it can be recomputed at any time (e.g. on removal).
 */
import { splitSentences } from '../text.ts';
import { tunableOverrides } from '../tunables.ts';
import { NameEvidence, sentenceEntities } from './article-names.ts';
import { contentTerms } from './stemming.ts';

/**
 * Share of an article vector's squared norm given to its headline, whatever the body's length: the
 * headline names the event, and a fixed share keeps a long or junk body from drowning it.
 */
export const TITLE_SHARE = 0.25;
/** Sentences at the top of a story (the news lead) say what happened; later ones drift to background. */
export const LEAD_SENTENCES = 5;
export const LEAD_WEIGHT = 1.5;
/**
 * Extra weight of a named entity (a capitalised word inside a sentence, or a multi-word name).
 * Names of people, places and organisations separate events better than topic words.
 */
export const ENTITY_BONUS = 0.25;
/** Body text beyond this many words is ignored: tails of long pages are background or page junk. */
export const MAX_BODY_WORDS = 1200;
/**
 * Characters of a description that must recur in the body for it to count as the body's own text:
 * long enough that a recurrence is a copy, not a shared phrase.
 */
export const DESCRIPTION_COPY_CHARS = 50;

/** True when the description copies the body's opening rather than adding words: counted again, it would double that sentence. */
export function repeatsBody(description: string, text: string): boolean {
  const opening = description.trim().slice(0, DESCRIPTION_COPY_CHARS);
  return opening.length === DESCRIPTION_COPY_CHARS && text.includes(opening);
}

/** A sparse vector: term -> weight. */
export type TermVector = Map<string, number>;
function add(vec: TermVector, term: string, weight: number): void {
  vec.set(term, (vec.get(term) ?? 0) + weight);
}

/** log(1 + tf) of each term in place (sublinear: one repeated word cannot dominate); returns the L2 norm. */
function sublinear(raw: TermVector): number {
  let norm = 0;
  raw.forEach((tf, t) => {
    const w = Math.log1p(tf);
    raw.set(t, w);
    norm += w * w;
  });
  return Math.sqrt(norm);
}

/** Scales every weight of a vector in place. */
function scale(vec: TermVector, factor: number): TermVector {
  vec.forEach((w, t) => {
    vec.set(t, w * factor);
  });
  return vec;
}

/**
 * The article's term vector: the headline's terms (and its multi-word names) and the body's
 * weighted term frequencies (the description counted as body text; lead sentences and named
 * entities weigh more), each scaled sublinearly and L2-normalised on its own, then combined with the
 * headline holding TITLE_SHARE of the squared norm, and normalised again (terms in both parts add
 * up) so long and short articles count equally in a centroid. Without a title it is the body vector alone.
 */
export function articleTermVector(
  title: string | null,
  text: string,
  description: string | null,
): TermVector {
  return articleTerms(title, text, description).vector;
}

/**
 * The article's term vector (articleTermVector) and its names (NameEvidence), read in one pass over
 * the body: the names are what the story engine asks a story to share before the article may join it.
 */
export function articleTerms(
  title: string | null,
  text: string,
  description: string | null,
): { vector: TermVector; names: string[] } {
  const names = new NameEvidence();
  const body: TermVector = new Map();
  const entityBonus = tunableOverrides().entityBonus ?? ENTITY_BONUS;
  if (description && !repeatsBody(description, text))
    for (const t of contentTerms(description)) add(body, t, 1);
  let words = 0;
  const sentences = splitSentences(text);
  for (let i = 0; i < sentences.length && words < MAX_BODY_WORDS; i++) {
    const sentence = sentences[i] ?? '';
    const weight = i < LEAD_SENTENCES ? LEAD_WEIGHT : 1;
    const terms = contentTerms(sentence);
    words += terms.length;
    for (const t of terms) add(body, t, weight);
    for (const e of sentenceEntities(sentence, names)) add(body, e, entityBonus * weight);
  }
  const head: TermVector = new Map();
  if (title) {
    for (const t of contentTerms(title)) add(head, t, 1);
    for (const e of sentenceEntities(`x ${title}`, names)) if (e.includes('_')) add(head, e, 1);
  }
  const bodyNorm = sublinear(body);
  const headNorm = sublinear(head);
  const found = names.found();
  if (headNorm === 0) return { vector: bodyNorm > 0 ? scale(body, 1 / bodyNorm) : body, names: found };
  if (bodyNorm === 0) return { vector: scale(head, 1 / headNorm), names: found };
  return {
    vector: combine(head, headNorm, body, bodyNorm, tunableOverrides().titleShare ?? TITLE_SHARE),
    names: found,
  };
}

/**
 * √share·a/|a| + √(1−share)·b/|b|, L2-normalised, reusing b's map. The combined norm follows from
 * the overlap alone (|x + y|² = |x|² + |y|² + 2x·y, here 1 + 2x·y), so the body is scaled in one pass.
 */
function combine(a: TermVector, aNorm: number, b: TermVector, bNorm: number, share: number): TermVector {
  const wa = Math.sqrt(share) / aNorm;
  const wb = Math.sqrt(1 - share) / bNorm;
  let overlap = 0;
  a.forEach((w, t) => {
    const v = b.get(t);
    if (v !== undefined) overlap += w * wa * v * wb;
  });
  const norm = Math.sqrt(1 + 2 * overlap);
  scale(b, wb / norm);
  a.forEach((w, t) => {
    b.set(t, (b.get(t) ?? 0) + (w * wa) / norm);
  });
  return b;
}
