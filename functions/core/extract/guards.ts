/**
 * Guards that bound the work the HTML stack does on hostile input, checked on the raw text before
 * linkedom ever builds a tree from it.
 *
 * Why: linkedom's parse and Readability's tree walks grow faster than linearly with nesting depth, so
 * a small file nested far deeper than any real page could hang an ingest function until its timeout
 * (README, "Hostile input"). Such a page is refused up front with a reason the contributor can act on.
 *
 * Depth is measured by htmlparser2's own Parser, the very tokenizer and tree rules linkedom builds its
 * document from (raw-text elements, void elements, optional end tags, foreign content, self-closing
 * slashes, odd comments), so the guard cannot disagree with the tree it protects.
 */
import { Parser } from 'htmlparser2';
import { InputRejectedError } from '../errors.ts';

/**
 * Deepest element nesting accepted in an HTML input: five times the deepest real page measured (50),
 * and shallow enough that Readability finishes a worst-case page in about a second.
 */
export const MAX_HTML_DEPTH = 256;

/** linkedom's parser options (linkedom/esm/shared/parse-from-string.js), so both read the text alike. */
const LINKEDOM_PARSER_OPTIONS = { lowerCaseAttributeNames: false, decodeEntities: true, xmlMode: false };

/** Thrown from a parser callback to stop parsing once the answer is known. */
class StopParsing {
  constructor(readonly value: string | number) {}
}

function parseUntil(html: string, handlers: ConstructorParameters<typeof Parser>[0]): StopParsing | null {
  const parser = new Parser(handlers, LINKEDOM_PARSER_OPTIONS);
  try {
    parser.end(html);
  } catch (stop) {
    if (stop instanceof StopParsing) return stop;
    throw stop;
  }
  return null;
}

/**
 * The element nesting depth of the tree linkedom builds from `html` (a void element counts as one
 * level below its parent). Stops once `limit` is exceeded (the answer is then just "more than limit"),
 * which also keeps the parser's own open-element stack, and so its work per tag, bounded.
 */
export function htmlNestingDepth(html: string, limit = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let max = 0;
  // Counted when opened, not when named: a tag the input ends inside (`<p class`) is named and then
  // closed at the end, but never opened, and linkedom builds no element for it.
  parseUntil(html, {
    onopentag() {
      depth++;
      max = Math.max(max, depth);
      if (max > limit) throw new StopParsing(max);
    },
    onclosetag() {
      depth--;
    },
  });
  return max;
}

function tooDeep(): never {
  throw new InputRejectedError(
    'too-deep',
    `the HTML nests elements more than ${MAX_HTML_DEPTH} levels deep (real article pages stay under about 50); upload the article page as published, or its text as .txt`,
  );
}

/** Refuses an HTML input nested deeper than any real page, before the HTML stack sees it. */
export function assertHtmlNestingBounded(html: string): void {
  if (htmlNestingDepth(html, MAX_HTML_DEPTH) > MAX_HTML_DEPTH) tooDeep();
}

/** The (lower-case) name of the first element the parser opens in the text, or null when none. */
export function firstElementName(html: string): string | null {
  const stopped = parseUntil(html, {
    onopentagname(name) {
      throw new StopParsing(name);
    },
  });
  return stopped === null ? null : (stopped.value as string);
}

/**
 * The HTML to hand to linkedom: refused when nested too deep (above), and always rooted in <html>.
 * linkedom makes the first element the document element, so for a fragment (plain text saved as .html,
 * a page starting with <noscript> or <script>) Readability's clean-up can remove the root itself, after
 * which `document.body` throws a TypeError. Wrapped, such a file is read like any page: extracted when
 * it holds an article, refused as no-article-text otherwise.
 */
export function guardedHtml(html: string): string {
  assertHtmlNestingBounded(html);
  const first = firstElementName(html);
  if (first === 'html') return html;
  if (first === 'head' || first === 'body') return `<html>${html}</html>`;
  return `<html><head></head><body>${html}</body></html>`;
}
