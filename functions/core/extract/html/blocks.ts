/**
 * DOM → blocks. Block elements end a paragraph, <br> ends a line, inline text is joined, so
 * "word</p><p>Next" never fuses into one token. Each block keeps the features the post-filters
 * classify by (jusText style): link density, heading, figure/caption context, class/id hints.
 */
import type { DomNode } from './dom.ts';

/** Elements whose boundaries separate paragraphs. */
export const BLOCK_TAGS = new Set([
  'ADDRESS',
  'ARTICLE',
  'ASIDE',
  'BLOCKQUOTE',
  'BODY',
  'CAPTION',
  'DD',
  'DETAILS',
  'DIV',
  'DL',
  'DT',
  'FIELDSET',
  'FIGCAPTION',
  'FIGURE',
  'FOOTER',
  'FORM',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'HEADER',
  'HR',
  'LI',
  'MAIN',
  'NAV',
  'OL',
  'P',
  'PRE',
  'SECTION',
  'SUMMARY',
  'TABLE',
  'TBODY',
  'TFOOT',
  'THEAD',
  'TR',
  'UL',
  'CENTER',
  'OPTION',
  'SELECT',
  'LEGEND',
]);

/** Table cells: a row reads as one line, its cells separated by spaces. */
const CELL_TAGS = new Set(['TD', 'TH']);

/** Elements whose text is never article prose. */
export const SKIP_TAGS = new Set([
  'SCRIPT',
  'STYLE',
  'NOSCRIPT',
  'TEMPLATE',
  'SVG',
  'IFRAME',
  'OBJECT',
  'BUTTON',
  'TEXTAREA',
  'CANVAS',
  'VIDEO',
  'AUDIO',
  'HEAD',
  'SELECT',
]);

export interface Block {
  readonly text: string;
  /** Characters of the block's text that sit inside links. */
  readonly linkChars: number;
  /** True when the block is (inside) a heading element. */
  readonly heading: boolean;
  /** True when inside <figure> or <figcaption>. */
  readonly figure: boolean;
  readonly figcaption: boolean;
  /** Lower-cased class and id names of the ancestors inside the content root. */
  readonly hints: string;
  readonly listItem: boolean;
}

interface Context {
  link: number;
  heading: number;
  figure: number;
  figcaption: number;
  listItem: number;
  hints: string[];
}

function collapse(text: string): string {
  return text.replace(/[\s\u00a0\u200b]+/g, ' ').trim();
}

function attr(node: DomNode, name: string): string {
  const el = node as unknown as { getAttribute?: (n: string) => string | null };
  return el.getAttribute?.(name) ?? '';
}

/** Blocks of an element, in document order. */
export function blocksOf(root: DomNode): Block[] {
  const out: Block[] = [];
  let current = '';
  let linkChars = 0;
  let snapshot: Omit<Block, 'text' | 'linkChars'> | null = null;
  const ctx: Context = { link: 0, heading: 0, figure: 0, figcaption: 0, listItem: 0, hints: [] };
  const describe = () => ({
    heading: ctx.heading > 0,
    figure: ctx.figure > 0,
    figcaption: ctx.figcaption > 0,
    hints: ctx.hints.join(' '),
    listItem: ctx.listItem > 0,
  });
  const flush = () => {
    const text = collapse(current);
    if (text.length > 0 && snapshot)
      out.push({ text, linkChars: Math.min(linkChars, text.length), ...snapshot });
    current = '';
    linkChars = 0;
    snapshot = null;
  };
  const walk = (node: DomNode) => {
    if (node.nodeType === 3) {
      const t = node.textContent ?? '';
      if (snapshot === null && t.trim().length > 0) snapshot = describe();
      current += t;
      if (ctx.link > 0) linkChars += collapse(t).length;
      return;
    }
    if (node.nodeType !== 1) return;
    const tag = node.nodeName.toUpperCase();
    if (SKIP_TAGS.has(tag)) return;
    if (tag === 'BR') {
      flush();
      return;
    }
    const block = BLOCK_TAGS.has(tag);
    if (block) flush();
    if (CELL_TAGS.has(tag)) current += ' ';
    const hint = `${attr(node, 'class')} ${attr(node, 'id')}`.trim().toLowerCase();
    if (hint) ctx.hints.push(hint);
    if (tag === 'A') ctx.link++;
    if (/^H[1-6]$/.test(tag)) ctx.heading++;
    if (tag === 'FIGURE') ctx.figure++;
    if (tag === 'FIGCAPTION') ctx.figcaption++;
    if (tag === 'LI') ctx.listItem++;
    const children = node.childNodes;
    for (let i = 0; i < children.length; i++) walk(children[i]!);
    if (tag === 'A') ctx.link--;
    if (/^H[1-6]$/.test(tag)) ctx.heading--;
    if (tag === 'FIGURE') ctx.figure--;
    if (tag === 'FIGCAPTION') ctx.figcaption--;
    if (tag === 'LI') ctx.listItem--;
    if (hint) ctx.hints.pop();
    if (CELL_TAGS.has(tag)) current += ' ';
    if (block) flush();
  };
  walk(root);
  flush();
  return out;
}

/** Paragraph texts of an element, in document order. */
export function paragraphsOf(root: DomNode): string[] {
  return blocksOf(root).map((b) => b.text);
}
