/** Key figures a reader can use (issue 20): a figure shows only with a subject naming what was counted. */
import { describe, expect, it } from 'vitest';
import { extractFigures } from '../../../functions/core/stories/figures.ts';

const shown = (text: string): string[] =>
  extractFigures(text)
    .filter((f) => f.readable)
    .map((f) => `${f.display} ${f.subject}`.trim());

describe('readable figures', () => {
  it.each([
    ['a count named only as "others"', 'Police arrested the driver and 10 others on Friday.'],
    ['a distance', 'The car was found 2 miles from the border.'],
    ['money named by one word', 'He was released on $160,000 bail on Monday.'],
    ['a percentage of nothing named', 'Shares suffered a 2.0 per cent dip on Tuesday.'],
    ['a bare percentage', 'Inflation reached 3.9 per cent.'],
    ['a percentage with a time', 'Prices rose 12 per cent last month.'],
    [
      'a count whose subject runs into its predicate',
      'More than 100 civil society groups urged the minister to resign.',
    ],
    ['a number in a name', 'The Falcon Heavy will launch from the Apollo 11 pad in Florida.'],
    ['a number glued to a model name', 'Officials said it was a Hwasong-12 missile.'],
    ['a time of day', 'The plane left at 11:36 on Tuesday morning.'],
    ['a date', 'An incident occurred on the same line on 31 October last year.'],
    ['a count followed by where, not what', 'It is a city of over 700,000 in the state of Washington.'],
    ['money whose noun follows a preposition', 'The party repaid £500,000 to its former treasurer.'],
    ['money that is the subject of a verb', 'Loans worth $2bn have laid a trail to the president.'],
    ['an amount in a currency', 'The cabinet approved a transfer of 40 million shekels on Wednesday.'],
    ['a length in metres', 'She broke the British record over 60m hurdles this season.'],
    ['a denominator', 'About six out of 20 women work in low-paid jobs.'],
    ['a rank', 'The magazine compiled a top 100 list of gadgets.'],
    ['a subject ending on an irregular past tense', 'Some 83 MPs gave their answers in taped interviews.'],
  ])('drops %s', (_kind, text) => {
    expect(shown(text)).toEqual([]);
  });

  it.each([
    ['people counted', 'Officials said at least 84 people were killed in the attack.', '84 people killed'],
    ['a named count', 'The leak holds 11.5 million documents from a law firm.', '11.5 million documents'],
    [
      'a percentage of something',
      'China accounts for more than 90 percent of North Korea’s external trade.',
      '90 percent North Korea’s external trade',
    ],
    [
      'money with what it measures',
      'The combined company would generate about $51 billion in annual revenue.',
      '$51 billion annual revenue',
    ],
    [
      'a rate with what it is per',
      'The new bid represents $82 per Qualcomm share today.',
      '$82 per Qualcomm share today',
    ],
    [
      'a verb naming the quantity',
      'More than 2 million Ukrainians fled into neighbouring countries.',
      '2 million Ukrainians fled',
    ],
    [
      'a count with a modifier between',
      'The bidder proposed a slate of 11 new Qualcomm board members.',
      '11 Qualcomm board members',
    ],
    ['a count named across a partitive', 'The police arrested 12 of the protesters.', '12 protesters'],
  ])('keeps %s', (_kind, text, figure) => {
    expect(shown(text)).toContain(figure);
  });
});
