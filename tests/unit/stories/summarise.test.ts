/** Extractive summaries: verbatim sentences, budget, article order, attribution, context. */
import { describe, expect, it } from 'vitest';
import { weightedCosine } from '../../../functions/core/stories/sentences.ts';
import { contentTerms } from '../../../functions/core/stories/stemming.ts';
import {
  REDUNDANCY_CONTAINMENT,
  REDUNDANCY_COSINE,
  restates,
  summariseArticle,
  summariseStory,
  termContainment,
} from '../../../functions/core/stories/summarise.ts';

/** Distinct content terms of a sentence, as the summariser sees them. */
function termsOf(sentence: string): Map<string, number> {
  return new Map(contentTerms(sentence).map((t) => [t, 1]));
}

/** Share of `part`'s distinct content terms that `whole` has, computed here from its definition. */
function containedShare(part: string, whole: string): number {
  const p = new Set(contentTerms(part));
  const w = new Set(contentTerms(whole));
  return [...p].filter((t) => w.has(t)).length / p.size;
}

const ARTICLE = [
  'The city council approved a new budget for schools and roads on Monday after a long debate.',
  'The budget gives schools more money for teachers, books and repairs to old buildings.',
  'A bakery on the high street won a national prize for its sourdough bread last year.',
  'Roads across the city will also get money from the council budget for urgent repairs.',
  'Council members said the schools budget was the largest the city had approved in years.',
  'Short line here.',
].join(' ');

describe('summariseArticle', () => {
  it('returns the requested number of verbatim sentences in article order, leaving out the off-topic one', () => {
    const summary = summariseArticle('Council approves budget', ARTICLE, 3);
    expect(summary).toHaveLength(3);
    for (const s of summary) expect(ARTICLE).toContain(s);
    const positions = summary.map((s) => ARTICLE.indexOf(s));
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(summary.some((s) => s.includes('bakery'))).toBe(false);
    expect(summary).not.toContain('Short line here.');
  });

  it('returns nothing for a zero budget and the first sentences of a text too short to rank', () => {
    expect(summariseArticle(null, ARTICLE, 0)).toEqual([]);
    expect(summariseArticle(null, 'Too short. Really.', 2)).toEqual(['Too short.', 'Really.']);
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

  describe('a short restatement of a long lede from another outlet', () => {
    const lede =
      'Ukrainian and Russian officials arrived at the Ukraine-Belarus border for peace talks that kicked off at dawn on Monday, as President Volodymyr Zelensky warned that the coming hours would be crucial and urged Russian soldiers to lay down their arms.';
    const restatement =
      'Talks between Russian and Ukrainian officials began on the Belarusian border on Monday (February 28).';
    const talks = [
      {
        articleId: 'wire',
        title: null,
        outlet: 'Wire',
        text: [
          lede,
          'The Ukrainian delegation asked for an immediate ceasefire and the withdrawal of Russian troops from the country.',
          'Western governments announced new sanctions against the Russian central bank over the weekend.',
        ].join(' '),
      },
      {
        articleId: 'broadcaster',
        title: null,
        outlet: 'Broadcaster',
        text: [
          restatement,
          'Fighting continued around Kharkiv and Kyiv while the delegations met near the river Pripyat.',
          'Oil prices rose sharply as traders weighed the risk of wider sanctions on Russian energy exports.',
        ].join(' '),
      },
    ];

    it('is a restatement the cosine alone lets through', () => {
      expect(weightedCosine(termsOf(restatement), termsOf(lede), () => 1)).toBeLessThan(REDUNDANCY_COSINE);
      expect(containedShare(restatement, lede)).toBeGreaterThanOrEqual(REDUNDANCY_CONTAINMENT);
      expect(termContainment(termsOf(restatement), termsOf(lede))).toBeCloseTo(
        containedShare(restatement, lede),
      );
      expect(restates(termsOf(lede), termsOf(restatement))).toBe(true);
    });

    it('is left out of the summary, whose sentences each add mostly new terms', () => {
      const texts = summariseStory(talks, null, 4).map((s) => s.text);
      expect(texts).toContain(lede);
      expect(texts).not.toContain(restatement);
      expect(texts).toHaveLength(4);
      for (const a of texts)
        for (const b of texts) if (a !== b) expect(containedShare(a, b)).toBeLessThan(REDUNDANCY_CONTAINMENT);
    });
  });
});
