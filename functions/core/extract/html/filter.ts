/**
 * Post-filters on Readability's content, where benchmark leaders beat Readability alone:
 * jusText-style block classification (link density, stop-word density, length, neighbours),
 * captions/credits, bylines and timestamps, promos and copyright lines, the repeated title, and
 * trimming of short non-prose blocks at the edges of the article.
 */
import { STOP_WORDS, tokenize } from '../../text.ts';
import { tunableOverrides } from '../../tunables.ts';
import {
  isBylineLine,
  isCaptionLine,
  isPromoLine,
  isShoutedLabel,
  isTimestampLine,
  stripConsent,
} from '../clean/index.ts';
import type { Block } from './blocks.ts';
import type { DomElement } from './dom.ts';

/** A block with more than this share of its text in links is navigation or a related-links list. */
export const MAX_LINK_DENSITY = 0.5;

/** Short blocks (under SHORT_BLOCK_WORDS) are dropped at a lower link density: "Read: <link>". */
export const MAX_SHORT_LINK_DENSITY = 0.25;

/** Blocks under this many words without sentence punctuation are "short" (jusText): kept only inside the body. */
export const SHORT_BLOCK_WORDS = 7;

/**
 * Stop-word density below which a long English block is a list of names/tags, not prose.
 * Prose runs 0.35–0.55; tag clouds and nav lists run under 0.1. Only applied to English pages.
 */
export const MIN_STOPWORD_DENSITY = 0.1;

/** A page whose prose has at least this stop-word density is English (the list is English). */
export const ENGLISH_STOPWORD_DENSITY = 0.25;

/** Longest block removed for a boilerplate class/id name; longer blocks are content whatever their class. */
export const MAX_HINTED_BLOCK_WORDS = 60;

/** Longest figure block removed: a caption, not an article in a figure. */
export const MAX_FIGURE_WORDS = 60;

/**
 * An element named like furniture is removed only if it holds less than this share of the article's
 * text: a wrapper called "post-meta" around the whole story is not furniture.
 */
export const MAX_HINTED_SHARE = 0.2;

/** Class/id names of furniture inside the article container. */
export const BOILERPLATE_HINT =
  /(?:^|[\s_-])(?:caption|credit|credits|byline|author|authors|dateline|timestamp|published|share|sharing|social|related|newsletter|subscribe|signup|promo|advert|ads?|sponsor(?:ed)?|tags?|breadcrumbs?|meta|toolbar|comments?|disclaimer|copyright|read-?more|more-?stories|recommend\w*|outbrain|taboola|embed-?promo|inline-?promo|nav|pagination)(?:$|[\s_-])/;

const INLINE_TAGS = new Set([
  'A',
  'SPAN',
  'STRONG',
  'B',
  'EM',
  'I',
  'U',
  'MARK',
  'ABBR',
  'CITE',
  'Q',
  'SMALL',
  'SUB',
  'SUP',
  'TIME',
  'CODE',
]);

const COPYRIGHT = /(?:©|\(c\)\s*\d{4}|\bcopyright\b|\ball rights reserved\b)/i;

function textLength(el: DomElement): number {
  return (el.textContent ?? '').replace(/\s+/g, ' ').trim().length;
}

/**
 * Removes furniture elements (captions, bylines, share bars, related links …) from Readability's
 * content by their class/id names, before blocks are read.
 */
export function pruneFurniture(root: DomElement): void {
  const total = Math.max(1, textLength(root));
  const all = root.querySelectorAll('[class], [id]');
  const doomed: DomElement[] = [];
  for (let i = 0; i < all.length; i++) {
    const el = all[i]!;
    // Inline elements (a tagged link, a styled name) are part of their sentence whatever their class.
    if (INLINE_TAGS.has(el.nodeName.toUpperCase())) continue;
    const hint = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`.toLowerCase();
    if (!BOILERPLATE_HINT.test(hint)) continue;
    const length = textLength(el);
    if (length / total > MAX_HINTED_SHARE) continue;
    if (words(el.textContent ?? '') > MAX_HINTED_BLOCK_WORDS) continue;
    doomed.push(el);
  }
  for (const el of doomed) el.remove();
}

function words(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

function endsLikeSentence(text: string): boolean {
  return /[.!?…:]["'”’»)\]]*$/.test(text);
}

function normal(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function stopwordDensity(text: string): number {
  const tokens = tokenize(text);
  if (tokens.length === 0) return 0;
  return tokens.filter((t) => STOP_WORDS.has(t)).length / tokens.length;
}

/** Sentence ends inside a block: the point, "!" or "?" before a space and a capital or a digit. */
const SENTENCE_BREAK = /(?<=[.!?])\s+(?=[\p{Lu}\p{N}])/u;

/**
 * A block made of two or more sentences that are each a promo ("Get the best of X delivered to your
 * inbox – subscribe to X Daybreak. Follow X on Twitter, Instagram and YouTube."). WHY: the promo
 * rules read one line, and a newsletter plug followed by a follow prompt is too long for them.
 */
export function isPromoBlock(text: string): boolean {
  const sentences = text.split(SENTENCE_BREAK).filter((t) => t.trim().length > 0);
  return sentences.length >= 2 && sentences.every((t) => isPromoLine(t));
}

/**
 * "Publié le jeudi 24 décembre 2020 à 07h47", "Veröffentlicht am 3. März 2021": the timestamp line of
 * pages in other languages, which the English timestamp rule does not read; a point only inside
 * ("3. März"), never a sentence end. HTML only: the text formats' cleaning keeps its own rules.
 */
const FOREIGN_TIMESTAMP_LINE =
  /^(?:publié|mis à jour|modifié|veröffentlicht|aktualisiert|publicado|actualizado|pubblicato|aggiornato|gepubliceerd|bijgewerkt|opublikowano)(?=[\s:])(?:[^.!?]|\.(?=\s?[\p{L}\d])){0,60}\d(?:[^.!?]|\.(?=\s?[\p{L}\d])){0,40}$/iu;

export function isForeignTimestampLine(text: string): boolean {
  return text.length <= 120 && FOREIGN_TIMESTAMP_LINE.test(text.trim());
}

type Verdict = 'good' | 'short' | 'bad';

function classify(block: Block, text: string, english: boolean): Verdict {
  const n = words(text);
  const density = block.linkChars / Math.max(1, text.length);
  const t = tunableOverrides();
  const shortBlockWords = t.shortBlockWords ?? SHORT_BLOCK_WORDS;
  if (!/[\p{L}]/u.test(text)) return 'bad';
  if (block.figcaption || (block.figure && n <= MAX_FIGURE_WORDS)) return 'bad';
  // A list of links inside the story (sources, a timeline) is part of it; outside it, navigation.
  if (density > (t.maxLinkDensity ?? MAX_LINK_DENSITY))
    return block.listItem && n >= shortBlockWords ? 'short' : 'bad';
  if (n < shortBlockWords && density > (t.maxShortLinkDensity ?? MAX_SHORT_LINK_DENSITY)) return 'bad';
  if (isCaptionLine(text) || isBylineLine(text) || isTimestampLine(text) || isForeignTimestampLine(text))
    return 'bad';
  if (!block.heading && (isPromoLine(text) || isShoutedLabel(text) || isPromoBlock(text))) return 'bad';
  if (block.heading && isPromoLine(text) && !isShoutedLabel(text)) return 'bad';
  if (COPYRIGHT.test(text) && n <= 40) return 'bad';
  if (english && n >= 10 && stopwordDensity(text) < (t.minStopwordDensity ?? MIN_STOPWORD_DENSITY))
    return 'bad';
  if (block.heading) return 'short';
  if (n < shortBlockWords && !endsLikeSentence(text)) return 'short';
  return 'good';
}

/**
 * Keeps the article's blocks. Short blocks survive only between good blocks (subheadings, list items
 * inside the body); at the edges they are labels, datelines and related-links headings.
 */
export function filterBlocks(blocks: readonly Block[], title: string | null): string[] {
  const t = title ? normal(title) : null;
  const prose = blocks.map((b) => b.text).join(' ');
  const english = stopwordDensity(prose) >= ENGLISH_STOPWORD_DENSITY;
  const items: Array<{ text: string; verdict: Verdict }> = [];
  for (const block of blocks) {
    if (t && normal(block.text) === t) continue;
    const text = stripConsent(block.text);
    if (text.length === 0) continue;
    items.push({ text, verdict: classify(block, text, english) });
  }
  const good = items.map((i) => i.verdict === 'good');
  const first = good.indexOf(true);
  const last = good.lastIndexOf(true);
  if (first < 0) return items.filter((i) => i.verdict !== 'bad').map((i) => i.text);
  return items
    .filter((i, k) => i.verdict === 'good' || (i.verdict === 'short' && k > first && k < last))
    .map((i) => i.text);
}

/** Text-only variant for callers without DOM features (fallback paths). */
export function filterParagraphs(paragraphs: readonly string[], title: string | null): string[] {
  return filterBlocks(
    paragraphs.map((text) => ({
      text,
      linkChars: 0,
      heading: false,
      figure: false,
      figcaption: false,
      hints: '',
      listItem: false,
    })),
    title,
  );
}
