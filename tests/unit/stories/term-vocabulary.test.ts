/**
 * Inverse document frequencies when the counts disagree: a batch under concurrent writers can read a
 * term's frequency after other batches counted their documents, and the corpus count before.
 */
import { describe, expect, it } from 'vitest';
import { TermVocabulary } from '../../../functions/core/stories/term-vocabulary.ts';

describe('TermVocabulary.idfOf', () => {
  it('weighs a term in more documents than the corpus count read as one in all of them', () => {
    const vocabulary = new TermVocabulary();
    const everywhere = vocabulary.idOf('everywhere');
    const ahead = vocabulary.idOf('ahead');
    vocabulary.docs = 3;
    vocabulary.df[everywhere] = 3;
    vocabulary.df[ahead] = 12;
    const idf = vocabulary.idfOf(ahead);
    expect(Number.isFinite(idf)).toBe(true);
    expect(idf).toBe(vocabulary.idfOf(everywhere));
    expect(idf).toBe(1);
  });

  it('weighs a rarer term above a commoner one', () => {
    const vocabulary = new TermVocabulary();
    const rare = vocabulary.idOf('rare');
    const common = vocabulary.idOf('common');
    vocabulary.docs = 10;
    vocabulary.df[rare] = 1;
    vocabulary.df[common] = 9;
    expect(vocabulary.idfOf(rare)).toBeGreaterThan(vocabulary.idfOf(common));
  });
});
