/**
 * Guards that bound the work the HTML stack does on hostile input, checked on the raw text before
 * linkedom ever parses it.
 *
 * Why: linkedom's parse and Readability's tree walks grow faster than linearly with nesting depth
 * (measured: 400 nested <div>s take ~3.5 s in Readability, 1,000 take ~30 s, 100,000 take 13 s just to
 * parse, and 10,000 overflow the stack). A 50 KB file could therefore hang an ingest Lambda until its
 * timeout. Real pages are shallow (the deepest of the 381 evaluation pages is 50 elements), so a page
 * nested far deeper than any real one is refused up front with a reason the contributor can act on.
 */
import { InputRejectedError } from '../errors.ts';

/**
 * Deepest element nesting accepted in an HTML input: five times the deepest real page measured (50),
 * and shallow enough that Readability finishes a worst-case page in about a second.
 */
export const MAX_HTML_DEPTH = 256;

/** Elements that never have children (no end tag), so they never deepen the tree. */
const VOID_ELEMENTS = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'keygen',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);

/** Elements whose content is raw text up to their end tag: tags inside them are not elements. */
const RAW_TEXT_ELEMENTS = new Set([
  'script',
  'style',
  'textarea',
  'title',
  'xmp',
  'iframe',
  'noembed',
  'noframes',
]);

/**
 * Opening one of these closes an open element of its group (HTML's optional end tags), so a page of
 * unclosed <p>, <li> or <td> elements is as flat as the parser will make it.
 */
const IMPLIED_CLOSE: Readonly<Record<string, ReadonlySet<string>>> = {
  p: new Set(['p']),
  li: new Set(['li']),
  dt: new Set(['dt', 'dd']),
  dd: new Set(['dt', 'dd']),
  option: new Set(['option']),
  optgroup: new Set(['option', 'optgroup']),
  tr: new Set(['tr', 'td', 'th']),
  td: new Set(['td', 'th']),
  th: new Set(['td', 'th']),
  thead: new Set(['thead', 'tbody', 'tfoot', 'tr', 'td', 'th']),
  tbody: new Set(['thead', 'tbody', 'tfoot', 'tr', 'td', 'th']),
  tfoot: new Set(['thead', 'tbody', 'tfoot', 'tr', 'td', 'th']),
};

/** Block elements whose start closes an open <p> (as the HTML parser does). */
const CLOSES_P = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'details',
  'div',
  'dl',
  'fieldset',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'ul',
]);

function isNameChar(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) || // a-z
    (code >= 0x41 && code <= 0x5a) || // A-Z
    (code >= 0x30 && code <= 0x39) || // 0-9
    code === 0x2d || // -
    code === 0x3a // :
  );
}

function isLetter(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a);
}

/**
 * The element nesting depth of an HTML text, estimated in one linear pass without building a DOM.
 * Stops counting once `limit` is exceeded (the answer is then just "more than limit"). Every search
 * moves forward from the previous position, so the scan is linear even on unterminated comments/tags.
 */
export function htmlNestingDepth(html: string, limit = Number.POSITIVE_INFINITY): number {
  const stack: string[] = [];
  let max = 0;
  let i = 0;
  for (;;) {
    const lt = html.indexOf('<', i);
    if (lt < 0 || lt + 1 >= html.length) return max;
    const next = html.charCodeAt(lt + 1);
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      if (end < 0) return max;
      i = end + 3;
      continue;
    }
    if (next === 0x21 /* ! */ || next === 0x3f /* ? */) {
      const gt = html.indexOf('>', lt);
      if (gt < 0) return max;
      i = gt + 1;
      continue;
    }
    const closing = next === 0x2f; /* / */
    const nameStart = closing ? lt + 2 : lt + 1;
    if (!isLetter(html.charCodeAt(nameStart))) {
      i = lt + 1;
      continue;
    }
    let nameEnd = nameStart + 1;
    while (nameEnd < html.length && isNameChar(html.charCodeAt(nameEnd))) nameEnd++;
    const name = html.slice(nameStart, nameEnd).toLowerCase();
    const gt = html.indexOf('>', nameEnd);
    if (gt < 0) return max;
    i = gt + 1;
    if (closing) {
      const open = stack.lastIndexOf(name);
      if (open >= 0) stack.length = open;
      continue;
    }
    if (VOID_ELEMENTS.has(name) || html.charCodeAt(gt - 1) === 0x2f /* self-closing /> */) continue;
    if (RAW_TEXT_ELEMENTS.has(name)) {
      // Skip to the end tag; its content is text. An unterminated one swallows the rest of the file.
      const end = indexOfIgnoreCase(html, `</${name}`, i);
      if (end < 0) return max;
      i = end;
      continue;
    }
    const closes = IMPLIED_CLOSE[name];
    if (closes) {
      const top = stack[stack.length - 1];
      if (top !== undefined && closes.has(top)) stack.pop();
    }
    if (CLOSES_P.has(name) && stack[stack.length - 1] === 'p') stack.pop();
    stack.push(name);
    if (stack.length > max) {
      max = stack.length;
      if (max > limit) return max;
    }
  }
}

/** `haystack.indexOf(needle, from)` ignoring ASCII case, without copying the (possibly huge) haystack. */
function indexOfIgnoreCase(haystack: string, needle: string, from: number): number {
  const lower = needle.toLowerCase();
  const upper = needle.toUpperCase();
  let i = from;
  for (;;) {
    const a = haystack.indexOf(lower[0] ?? '', i);
    if (a < 0) return -1;
    let k = 1;
    while (
      k < needle.length &&
      (haystack[a + k] === lower[k] || haystack[a + k] === upper[k]) &&
      a + k < haystack.length
    )
      k++;
    if (k === needle.length) return a;
    i = a + 1;
  }
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

/** The name of the first element the text opens (comments, doctype and XML prolog skipped), or null. */
export function firstElementName(html: string): string | null {
  let i = 0;
  for (;;) {
    const lt = html.indexOf('<', i);
    if (lt < 0) return null;
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      if (end < 0) return null;
      i = end + 3;
      continue;
    }
    const next = html.charCodeAt(lt + 1);
    if (next === 0x21 /* ! */ || next === 0x3f /* ? */) {
      const gt = html.indexOf('>', lt);
      if (gt < 0) return null;
      i = gt + 1;
      continue;
    }
    if (!isLetter(next)) {
      i = lt + 1;
      continue;
    }
    let end = lt + 2;
    while (end < html.length && isNameChar(html.charCodeAt(end))) end++;
    return html.slice(lt + 1, end).toLowerCase();
  }
}

/**
 * The HTML to hand to linkedom: refused when nested too deep (above), and always rooted in <html>.
 * linkedom makes the first element the document element, so for a fragment (plain text saved as .html,
 * a page starting with <noscript> or <script>) Readability's clean-up can remove the root itself, after
 * which `document.body` throws a TypeError. Wrapped, such a file is read like any page: extracted when
 * it holds an article, refused as no-article-text otherwise.
 */
export function guardedHtml(html: string): string {
  if (htmlNestingDepth(html, MAX_HTML_DEPTH) > MAX_HTML_DEPTH) tooDeep();
  const first = firstElementName(html);
  if (first === 'html') return html;
  if (first === 'head' || first === 'body') return `<html>${html}</html>`;
  return `<html><head></head><body>${html}</body></html>`;
}
