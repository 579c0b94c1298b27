/**
 * What each part of the HTML guard is for: a page nested deeper than MAX_HTML_DEPTH is refused with a
 * reason the contributor can act on (and not one level sooner), and every accepted page reaches
 * linkedom rooted in a single <html> element.
 */
import { describe, expect, it } from 'vitest';
import { InputRejectedError } from '../../../functions/core/errors.ts';
import {
  assertHtmlNestingBounded,
  firstElementName,
  guardedHtml,
  htmlNestingDepth,
  MAX_HTML_DEPTH,
} from '../../../functions/core/extract/guards.ts';

const nested = (depth: number) => `${'<div>'.repeat(depth)}x${'</div>'.repeat(depth)}`;

describe('htmlNestingDepth', () => {
  it('counts the deepest element, not the number of elements', () => {
    expect(htmlNestingDepth('<div><p>a</p><p>b</p></div><div><span><b>c</b></span></div>')).toBe(3);
    expect(htmlNestingDepth('no tags at all')).toBe(0);
  });

  it('measures past the limit by one and stops there', () => {
    expect(htmlNestingDepth(nested(10), 5)).toBe(6);
    expect(htmlNestingDepth(nested(5), 5)).toBe(5);
  });
});

describe('assertHtmlNestingBounded and guardedHtml', () => {
  it(`accept a page exactly ${MAX_HTML_DEPTH} levels deep and refuse one level deeper, saying why`, () => {
    expect(MAX_HTML_DEPTH).toBe(256);
    expect(() => assertHtmlNestingBounded(nested(MAX_HTML_DEPTH))).not.toThrow();
    expect(() => guardedHtml(`<html><body>${nested(MAX_HTML_DEPTH - 2)}</body></html>`)).not.toThrow();
    for (const refuse of [assertHtmlNestingBounded, guardedHtml]) {
      let caught: unknown;
      try {
        refuse(nested(MAX_HTML_DEPTH + 1));
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InputRejectedError);
      expect((caught as InputRejectedError).code).toBe('too-deep');
      expect((caught as Error).message).toBe(
        'the HTML nests elements more than 256 levels deep (real article pages stay under about 50); upload the article page as published, or its text as .txt',
      );
    }
  });
});

describe('firstElementName', () => {
  it('names the first element, lower-cased, past comments, doctype and prolog', () => {
    expect(firstElementName('<?xml version="1.0"?><!DOCTYPE html><!-- x --><HTML><body>')).toBe('html');
    expect(firstElementName('text first <Section>')).toBe('section');
  });

  it('is null when the text opens no element', () => {
    expect(firstElementName('just text < 3 and > 2 <!-- <div> -->')).toBeNull();
  });
});

describe('guardedHtml', () => {
  it('passes a page rooted in <html> through unchanged', () => {
    const page = '<!DOCTYPE html><html><body><p>x</p></body></html>';
    expect(guardedHtml(page)).toBe(page);
  });

  it('roots a page that starts at <head> or <body> in <html>', () => {
    expect(guardedHtml('<head><title>t</title></head><p>x</p>')).toBe(
      '<html><head><title>t</title></head><p>x</p></html>',
    );
    expect(guardedHtml('<body><p>x</p></body>')).toBe('<html><body><p>x</p></body></html>');
  });

  it('puts a fragment or plain text in a whole document', () => {
    expect(guardedHtml('<noscript>x</noscript><p>y</p>')).toBe(
      '<html><head></head><body><noscript>x</noscript><p>y</p></body></html>',
    );
    expect(guardedHtml('plain text')).toBe('<html><head></head><body>plain text</body></html>');
  });
});
