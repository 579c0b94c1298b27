/**
 * The HTML nesting guard measures the depth of the tree linkedom will build, with htmlparser2's own
 * rules: a hand-made copy of those rules scored the crafted pages below as shallow, and each then took
 * seconds to minutes to extract (issue 18.1).
 */
import fc from 'fast-check';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { InputRejectedError } from '../../../functions/core/errors.ts';
import {
  firstElementName,
  guardedHtml,
  htmlNestingDepth,
  MAX_HTML_DEPTH,
} from '../../../functions/core/extract/guards.ts';

/** The depth of the deepest element linkedom actually builds from `html` (the document element is 1). */
function linkedomDepth(html: string): number {
  const { document } = parseHTML(html);
  let max = 0;
  const walk = (element: Element, depth: number): void => {
    max = Math.max(max, depth);
    for (const child of Array.from(element.children)) walk(child, depth + 1);
  };
  for (const child of Array.from(document.children)) walk(child, 1);
  return max;
}

describe('htmlNestingDepth', () => {
  it.each([
    ['an <iframe> (not raw text in HTML) wrapping 3,000 divs', `<iframe>${'<div>'.repeat(3_000)}x`],
    ['<noembed> wrapping 3,000 divs', `<noembed>${'<div>'.repeat(3_000)}x`],
    ['<noframes> wrapping 3,000 divs', `<noframes>${'<div>'.repeat(3_000)}x`],
    ['1,000 <div/> (HTML ignores the slash)', '<div/>'.repeat(1_000)],
    ['an abrupt empty comment <!--> before 3,000 divs', `<!-->${'<div>'.repeat(3_000)}x<!-- -->`],
    ['3,000 nested tables', '<table>'.repeat(3_000)],
    ['3,000 nested <template>s', '<template>'.repeat(3_000)],
  ])('sees %s as too deep, as the parser does', (_name, html) => {
    expect(htmlNestingDepth(html, MAX_HTML_DEPTH)).toBeGreaterThan(MAX_HTML_DEPTH);
    expect(() => guardedHtml(html)).toThrow(InputRejectedError);
  });

  it.each([
    ['tags inside <script>', `<script>${'<div>'.repeat(3_000)}</script><p>x</p>`, 1],
    ['tags inside <textarea>', `<textarea>${'<div>'.repeat(3_000)}</textarea>`, 1],
    ['self-closing slashes in <svg> (foreign content honours them)', `<svg>${'<g/>'.repeat(3_000)}</svg>`, 2],
    ['3,000 unclosed <p>s (each closes the last)', '<p>x'.repeat(3_000), 1],
    ['3,000 unclosed <li>s in one list', `<ul>${'<li>x'.repeat(3_000)}</ul>`, 2],
  ])('sees %s as shallow, as the parser does', (_name, html, depth) => {
    expect(htmlNestingDepth(html)).toBe(depth);
    expect(linkedomDepth(html)).toBe(depth);
  });

  it('does not count a tag the input ends inside, which linkedom never opens (a case fast-check found)', () => {
    for (const html of ['<text ', '<div><p class', '<b>x</b><i'])
      expect(htmlNestingDepth(html)).toBe(linkedomDepth(html));
    expect(htmlNestingDepth('<div><p class')).toBe(1);
  });

  it('agrees with the depth of the tree linkedom builds, in every parser mode', () => {
    const piece = fc.constantFrom(
      '<div>',
      '</div>',
      '<div/>',
      '<p>',
      '</p>',
      '<li>',
      '<ul>',
      '</ul>',
      '<table>',
      '<tr>',
      '<td>',
      '</table>',
      '<svg>',
      '<g/>',
      '<g>',
      '</svg>',
      '<math>',
      '<mi/>',
      '</math>',
      '<template>',
      '</template>',
      '<iframe>',
      '</iframe>',
      '<noembed>',
      '<script>',
      '</script>',
      '<style>',
      '</style>',
      '<title>',
      '</title>',
      '<textarea>',
      '</textarea>',
      '<xmp>',
      '</xmp>',
      '<!--',
      '-->',
      '<!-->',
      '<!--->',
      '<![CDATA[',
      ']]>',
      '<br/>',
      '<img src=x>',
      '<span>',
      '</span>',
      '<b>',
      'text ',
      '<',
      '>',
      '</',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 200 }), (pieces) => {
        const html = pieces.join('');
        expect(htmlNestingDepth(html)).toBe(linkedomDepth(html));
      }),
      { numRuns: 300 },
    );
  });

  it('is linear: a megabyte of flat markup is measured in one pass', () => {
    const html = '<p>word <b>bold</b> &amp; more</p>'.repeat(30_000);
    expect(htmlNestingDepth(html, MAX_HTML_DEPTH)).toBe(2);
  });
});

describe('firstElementName', () => {
  it('reads the first element as the parser does, past comments, doctype and an abrupt <!-->', () => {
    expect(firstElementName('<!doctype html><!-- c --><html><body>')).toBe('html');
    expect(firstElementName('<!--><body><p>x')).toBe('body');
    expect(firstElementName('<?xml version="1.0"?><HEAD>')).toBe('head');
    expect(firstElementName('just text')).toBeNull();
  });
});
