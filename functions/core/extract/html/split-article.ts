/**
 * An article split across sibling containers. Some templates write the story in two or more blocks
 * with the same text class ("article-text"), separated by an ad or a video slot; Readability keeps
 * the largest and can drop the others, often the opening paragraphs. The rule: note each paragraph's
 * container class before Readability runs, then take back the prose paragraphs before the kept text
 * whose container shares its first class name with a container of the kept paragraphs.
 */
import type { DomDocument, DomElement } from './dom.ts';

/** Fewest words of a paragraph taken back: prose, not a label or a caption. */
export const MIN_SPLIT_PARAGRAPH_WORDS = 15;

/** Shortest class name trusted to name text blocks ("txt", "col" are layout names). */
export const MIN_CLASS_NAME_CHARS = 5;

/** Most paragraphs taken back: more is a listing of other stories sharing the class, not a lede. */
export const MAX_OPENING_PARAGRAPHS = 8;

export interface PageParagraph {
  readonly text: string;
  /** The first class name of the paragraph's parent element, or null. */
  readonly containerClass: string | null;
}

function clean(text: string | null): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

/** Every prose paragraph of the page with its container's class, read before Readability changes the tree. */
export function pageParagraphs(document: DomDocument): PageParagraph[] {
  const out: PageParagraph[] = [];
  const ps = document.querySelectorAll('p');
  for (let i = 0; i < ps.length; i++) {
    const text = clean(ps[i]!.textContent);
    if (text.split(' ').length < MIN_SPLIT_PARAGRAPH_WORDS || !/[.!?…]["'”’)]*$/.test(text)) continue;
    const cls = ps[i]!.parentElement?.getAttribute('class')?.trim().split(/\s+/)[0] ?? '';
    out.push({ text, containerClass: cls.length >= MIN_CLASS_NAME_CHARS ? cls : null });
  }
  return out;
}

/**
 * The story's opening paragraphs that Readability left out: those before the first kept paragraph
 * whose container shares its first class name with a container of kept paragraphs. Only before: the
 * blocks after a story that share its class are appeals, letters plugs and caption boxes as often as text.
 */
export function missingOpening(paragraphs: readonly PageParagraph[], content: DomElement): string[] {
  const kept = clean(content.textContent);
  const isKept = paragraphs.map((p) => kept.includes(p.text));
  const first = isKept.indexOf(true);
  if (first <= 0) return [];
  const keptClasses = new Set(
    paragraphs.filter((p, i) => isKept[i] && p.containerClass !== null).map((p) => p.containerClass),
  );
  const opening = paragraphs.slice(0, first).filter((p) => keptClasses.has(p.containerClass));
  return opening.length > MAX_OPENING_PARAGRAPHS ? [] : opening.map((p) => p.text);
}
