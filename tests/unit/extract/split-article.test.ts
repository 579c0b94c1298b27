/**
 * A story written in two text blocks of the same class (issue 20, extraction on unseen pages):
 * Readability keeps the larger block; the opening block it drops is taken back, and nothing else is.
 */
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import type { DomDocument } from '../../../functions/core/extract/html/dom.ts';
import { extractHtmlContent } from '../../../functions/core/extract/html/index.ts';
import { missingOpening, pageParagraphs } from '../../../functions/core/extract/html/split-article.ts';

const sentence = (n: number, topic: string): string =>
  `The ${topic} plan was discussed again today by the council members, who met for the ${n} time this month to weigh its costs and benefits for the town.`;

const block = (topic: string, from: number, count: number): string =>
  Array.from({ length: count }, (_, i) => `<p>${sentence(from + i, topic)}</p>`).join('');

/** An ad slot between the two blocks, as the templates that split a story have. */
const page = `<html><head><title>Harbour plan</title></head><body>
  <header><nav><a href="/">Home</a></nav></header>
  <main>
    <div class="wrap"><div class="article-text first">${block('harbour', 1, 2)}</div></div>
    <div class="ad-slot"><iframe src="https://ads.example/"></iframe><a href="/x">Advertisement</a></div>
    <div class="wrap two"><div class="article-text no-review">${block('harbour', 3, 9)}</div></div>
    <div class="article-text">${block('appeal', 20, 1)}</div>
  </main>
  <footer><p>Copyright 2021 News Example. All rights reserved by the company and its partners worldwide.</p></footer>
</body></html>`;

describe('a story split across text blocks', () => {
  it('takes back the opening block and keeps the text in page order', () => {
    const paragraphs = extractHtmlContent(page, null).paragraphs;
    expect(paragraphs.slice(0, 3)).toEqual([
      sentence(1, 'harbour'),
      sentence(2, 'harbour'),
      sentence(3, 'harbour'),
    ]);
    expect(paragraphs.filter((p) => p.includes('harbour'))).toHaveLength(11);
  });

  it('takes nothing after the kept text, nor from containers of another class', () => {
    const document = parseHTML(page).document as unknown as DomDocument;
    const own = pageParagraphs(document);
    const content = parseHTML(`<div><div class="article-text">${block('harbour', 3, 9)}</div></div>`).document
      .firstElementChild as unknown as Parameters<typeof missingOpening>[1];
    expect(missingOpening(own, content)).toEqual([sentence(1, 'harbour'), sentence(2, 'harbour')]);
    const other = own.map((p) =>
      p.text.includes('harbour plan was discussed again today by the council members, who met for the 1 ')
        ? { ...p, containerClass: 'sidebar-box' }
        : p,
    );
    expect(missingOpening(other, content)).toEqual([sentence(2, 'harbour')]);
  });

  it('takes nothing when the kept text starts the page', () => {
    const document = parseHTML(`<div class="article-text">${block('harbour', 1, 5)}</div>`)
      .document as unknown as DomDocument;
    const own = pageParagraphs(document);
    const content = parseHTML(`<div>${block('harbour', 1, 5)}</div>`).document
      .firstElementChild as unknown as Parameters<typeof missingOpening>[1];
    expect(missingOpening(own, content)).toEqual([]);
  });
});
