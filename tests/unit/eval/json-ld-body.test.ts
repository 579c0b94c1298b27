/** The unseen-pages extraction check takes a page's own JSON-LD articleBody as its reference. */
import { describe, expect, it } from 'vitest';
import { jsonLdArticleBody } from '../../eval/extraction-unseen.ts';

describe('jsonLdArticleBody', () => {
  it('finds the longest articleBody inside @graph and arrays, and skips malformed blocks', () => {
    const html = `<script type="application/ld+json">{not json</script>
      <script type="application/ld+json">{"@graph":[{"@type":"WebPage"},{"@type":"NewsArticle","articleBody":"Short."}]}</script>
      <script type='application/ld+json'>[{"articleBody":"The longer body of the article."}]</script>`;
    expect(jsonLdArticleBody(html)).toBe('The longer body of the article.');
  });

  it('reads an articleBody written as HTML or with character references as its text', () => {
    const html = `<script type="application/ld+json">{"articleBody":"<p>Amazon&#x2019;s store &amp; more.</p><table><tr><td>2020-09-01</td><td>$2,800</td></tr></table>"}</script>`;
    expect(jsonLdArticleBody(html)).toBe('Amazon’s store & more. 2020-09-01 $2,800');
  });

  it('is null for a page without one', () => {
    expect(jsonLdArticleBody('<p>No metadata</p>')).toBeNull();
  });
});
