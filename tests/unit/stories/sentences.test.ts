/** Sentence analysis for the summarisers: splitting as references cut, word counts, centrality. */

import { describe, expect, it } from 'vitest';
import { isContextDependent } from '../../../functions/core/stories/context-dependence.ts';
import {
  articleSentences,
  centroidScores,
  consensusCentrality,
  isSummarisable,
} from '../../../functions/core/stories/sentences.ts';

const texts = (text: string): string[] => articleSentences(text).map((s) => s.text);

describe('articleSentences', () => {
  it('keeps a quotation and its short attribution as one verbatim sentence', () => {
    const text =
      'He wanted to write. "I was a rusty wartime pilot who hadn\'t flown for nine years..." Hailey later recalled. The film followed.';
    expect(texts(text)).toEqual([
      'He wanted to write.',
      '"I was a rusty wartime pilot who hadn\'t flown for nine years..." Hailey later recalled.',
      'The film followed.',
    ]);
    expect(articleSentences(text).map((s) => s.position)).toEqual([0, 1, 2]);
  });

  it('rejoins after a question or exclamation in a closing quote', () => {
    expect(texts('“China could easily solve this problem!” Mr Trump said.')).toEqual([
      '“China could easily solve this problem!” Mr Trump said.',
    ]);
  });

  it('leaves a full sentence after a quotation on its own', () => {
    expect(texts('"We want equality." Wendt says women should feel safe everywhere.')).toHaveLength(2);
  });

  it('leaves a new quotation after a quotation on its own', () => {
    expect(texts('"It was a joke." "I took that as a joke," Perry said.')).toHaveLength(2);
  });

  it('does not join across a paragraph break', () => {
    expect(texts('"Could I fly the airplane?"\nHailey later recalled.')).toHaveLength(2);
  });

  it('shares one frozen analysis between callers that pass the same text', () => {
    const text = 'The council met on Monday. It approved the budget for schools.';
    const first = articleSentences(text);
    expect(articleSentences(`${text.slice(0, 10)}${text.slice(10)}`)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(articleSentences(`${text} More text.`)).not.toBe(first);
  });

  it('counts words with a letter or digit, not dashes or bullets', () => {
    const [s] = articleSentences('Prices rose 5% – the most since 2008 • says the Office.');
    expect(s?.words).toBe(10);
    const [t] = articleSentences('Zürich’s café reopened\tafter   repairs.');
    expect(t?.words).toBe(5);
  });
});

describe('centrality', () => {
  const article = [
    'The city council approved the new budget for schools and roads on Monday.',
    'The budget gives schools more money for teachers and books.',
    'Roads will also get money from the council budget for repairs.',
    'Council members said the schools budget was the largest in years.',
    'A local bakery won a prize for its sourdough bread.',
  ].join(' ');
  const sentences = articleSentences(article);

  it('ranks the sentence that shares most with the others first and the off-topic one last', () => {
    const scores = consensusCentrality(sentences);
    const best = scores.indexOf(Math.max(...scores));
    const worst = scores.indexOf(Math.min(...scores));
    expect(sentences[best]?.text).toContain('approved the new budget');
    expect(sentences[worst]?.text).toContain('bakery');
  });

  it('scores a sentence by cosine to the article centroid, the off-topic one lowest', () => {
    const scores = centroidScores(sentences);
    for (const s of scores.slice(0, 4)) expect(s).toBeGreaterThan(scores[4]!);
    expect(scores[4]).toBeLessThan(0.35);
    expect(centroidScores(articleSentences('Only one sentence here about budgets.'))[0]).toBeCloseTo(1, 10);
  });
});

describe('isContextDependent', () => {
  it('flags continuations that lose their antecedent', () => {
    expect(isContextDependent('He added: "We will not give up."')).toBe(true);
    expect(isContextDependent('But the talks ended without a deal.')).toBe(true);
    expect(isContextDependent('Ukraine and Russia met in Belarus on Monday.')).toBe(false);
  });
});

describe('isSummarisable', () => {
  const one = (text: string) => articleSentences(text)[0]!;
  it('rejects a line carrying a run of capitalised graphic labels, keeps prose with acronyms', () => {
    expect(
      isSummarisable(
        one(
          '200 FEET LAS VEGAS BOULEVARD CROWD STAGE Site of the festival where the gunman shot from the 32nd floor.',
        ),
      ),
    ).toBe(false);
    expect(
      isSummarisable(one('NATO and the EU met UN and IMF officials in Brussels on Monday to agree a plan.')),
    ).toBe(true);
  });

  it('rejects questions, fragments and lines that do not end like prose', () => {
    expect(isSummarisable(one('Will the talks in Belarus bring the war to an end?'))).toBe(false);
    expect(isSummarisable(one('Read more here.'))).toBe(false);
    expect(isSummarisable(one('Subscribe to our newsletter for the latest updates from Kyiv'))).toBe(false);
  });
});
