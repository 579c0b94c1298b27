/** The context-dependence detector: openings that need an earlier sentence, and ledes that do not. */
import { describe, expect, it } from 'vitest';
import { isContextDependent } from '../../../functions/core/stories/context-dependence.ts';

describe('isContextDependent', () => {
  it.each([
    ['a time anchored to an earlier event', 'Hours later, Neal opened fire on the crowd.'],
    ['a counted time anchored to an earlier event', 'Two days later, the ceasefire collapsed.'],
    ['the next day', 'The next day, police arrived at the scene.'],
    ['a partitive', 'Of the major carmakers, only Ford reported higher sales.'],
    ['a partitive pronoun', 'Among them was a six-year-old child.'],
    ['a contrastive place topic', 'In France, protesters blocked roads into the capital.'],
    ['a contrastive place topic with the', 'In the US, sales fell for a third month.'],
    ['a pronoun speaker', 'He said the plan would fail.'],
    ['a pronoun inside a quotation', '"She was wonderful," the coach said.'],
    ['a possessive', 'Its shares fell by a third.'],
    ['a shell noun', 'The move comes after weeks of talks.'],
    ['a shell noun with a verb', 'The decision was criticised by unions.'],
    ['a role noun', 'The company said profits fell.'],
    ['an age for a name', 'The 42-year-old was arrested at his home.'],
    ['a connective', 'However, the vote failed.'],
    ['a multi-word connective', 'As a result, prices rose sharply.'],
    ['a preposition with an anaphor', 'Despite this, shares rose.'],
    ['a quantifier over known things', 'Both men denied the charges.'],
    ['another of something', 'Another attack followed within the hour.'],
    ['a cut quotation', 'and then it was over, she said.'],
  ])('flags %s', (_kind, sentence) => {
    expect(isContextDependent(sentence)).toBe(true);
  });

  it.each([
    ['a named subject', 'The European Union agreed new sanctions on Monday.'],
    ['a shell noun with its complement', 'The decision to close the plant was announced on Monday.'],
    ['a shell noun with a prepositional complement', 'The attack on the embassy killed five people.'],
    ['a fronted month', 'In March, the bank raised rates.'],
    ['a fronted year', 'In 2019, sales rose by a fifth.'],
    ['a time relative to publication', 'This week, the government announced a plan.'],
    ['a brand in lower case', 'iPhone sales rose 5% in the quarter.'],
    ['an indefinite subject', 'A man was arrested after a shooting in Texas.'],
    ['a named person', 'Theresa May said the deal was done.'],
    ['a word that starts like a pronoun', 'Heathrow airport closed for two hours.'],
    ['a name that starts like a connective', 'Soon Lee arrived in Seoul.'],
  ])('keeps %s', (_kind, sentence) => {
    expect(isContextDependent(sentence)).toBe(false);
  });
});
