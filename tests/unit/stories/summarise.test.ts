/** Extractive summaries: verbatim sentences, budget, article order, attribution, context. */
import { describe, expect, it } from 'vitest';
import { summariseStory, summarizeArticle } from '../../../functions/core/stories/summarise.ts';

const ARTICLE = [
  'The city council approved a new budget for schools and roads on Monday after a long debate.',
  'The budget gives schools more money for teachers, books and repairs to old buildings.',
  'A bakery on the high street won a national prize for its sourdough bread last year.',
  'Roads across the city will also get money from the council budget for urgent repairs.',
  'Council members said the schools budget was the largest the city had approved in years.',
  'Short line here.',
].join(' ');

describe('summarizeArticle', () => {
  it('returns the requested number of verbatim sentences in article order, leaving out the off-topic one', () => {
    const summary = summarizeArticle('Council approves budget', ARTICLE, 3);
    expect(summary).toHaveLength(3);
    for (const s of summary) expect(ARTICLE).toContain(s);
    const positions = summary.map((s) => ARTICLE.indexOf(s));
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(summary.some((s) => s.includes('bakery'))).toBe(false);
    expect(summary).not.toContain('Short line here.');
  });

  it('returns nothing for a zero budget and the first sentences of a text too short to rank', () => {
    expect(summarizeArticle(null, ARTICLE, 0)).toEqual([]);
    expect(summarizeArticle(null, 'Too short. Really.', 2)).toEqual(['Too short.', 'Really.']);
  });
});

describe('summariseStory', () => {
  const sources = [
    {
      articleId: 'a',
      title: 'Council approves budget',
      outlet: 'Gazette',
      text: 'The vote on the city budget ended nine to four in favour after six hours of debate at the council. He added: "This budget is the largest the council has ever approved for schools."',
    },
    {
      articleId: 'b',
      title: 'Schools win in city budget',
      outlet: 'Herald',
      text: 'Schools in the city will get more money for teachers under the budget the council approved on Monday. Roads will get money for repairs from the same council budget this year.',
    },
  ];

  it('attributes every sentence to the article it is copied from and skips context-dependent ones', () => {
    const summary = summariseStory(sources, null, 3);
    expect(summary.length).toBeGreaterThanOrEqual(2);
    const byId = new Map(sources.map((s) => [s.articleId, s]));
    for (const s of summary) {
      const src = byId.get(s.articleId);
      expect(src?.text).toContain(s.text);
      expect(s.outlet).toBe(src?.outlet);
      expect(s.text.startsWith('He added')).toBe(false);
    }
    expect(new Set(summary.map((s) => s.articleId)).size).toBe(2);
  });
});
