/**
 * Runs the golden corpus (tests/golden/<case>/): each hand-made input must extract to exactly its
 * expected clean text, and to the title/date/outlet/url in meta.json where given.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../../functions/core/extract/index.ts';

const ROOT = join(import.meta.dirname, '..', '..', 'golden');
const ARRIVED = new Date('2026-11-22T10:00:00Z');

const cases = readdirSync(ROOT, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

describe('golden corpus', () => {
  it('has a case for every boilerplate kind', () => {
    for (const kind of [
      'cookie-banner',
      'glued-cookie-header',
      'read-more',
      'live-blog-plug',
      'newsletter-plug',
      'caption-credit',
      'inline-promo-headline',
      'trailing-unrelated-stories',
      'spam-line',
      'markdown',
      'html-page',
      'news-json',
      'latin-1',
      'utf-16',
    ]) {
      expect(cases).toContain(kind);
    }
  });

  for (const name of cases) {
    it(name, async () => {
      const dir = join(ROOT, name);
      const input = readdirSync(dir).find((f) => f.startsWith('input.'));
      expect(input, `${name} has an input file`).toBeDefined();
      const article = await extractArticle({
        key: `${name}/${input}`,
        bytes: readFileSync(join(dir, input!)),
        arrivedAt: ARRIVED,
      });
      expect(article.text).toBe(readFileSync(join(dir, 'expected.txt'), 'utf8').trim());
      const metaPath = join(dir, 'meta.json');
      if (existsSync(metaPath)) {
        const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as Record<string, unknown>;
        for (const [key, value] of Object.entries(meta)) {
          expect(article[key as keyof typeof article], `${name}: ${key}`).toEqual(value);
        }
      }
    });
  }
});
