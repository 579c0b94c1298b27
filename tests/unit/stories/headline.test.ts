/** Headlines made from a sentence when no member article has a usable title. */
import { describe, expect, it } from 'vitest';
import {
  headlineFromSentence,
  MAX_SENTENCE_HEADLINE_WORDS,
} from '../../../functions/core/stories/headline.ts';

describe('headlineFromSentence', () => {
  it('keeps a short sentence whole', () => {
    expect(headlineFromSentence('Bridge closed for repairs after storm damage.')).toBe(
      'Bridge closed for repairs after storm damage.',
    );
  });

  it('drops a rubric before a colon and cuts a long sentence at a clause break with an ellipsis', () => {
    const headline = headlineFromSentence(
      'Russia-Ukraine war: Amid the ongoing fight intensifying, Russia and Ukraine agreed Thursday to create humanitarian corridors for civilians to evacuate and for humanitarian supplies to be delivered, even as Russian President Vladimir Putin said the advance was going to plan.',
    );
    expect(headline.startsWith('Amid the ongoing fight')).toBe(true);
    expect(headline.endsWith('…')).toBe(true);
    expect(headline.split(' ').length).toBeLessThanOrEqual(MAX_SENTENCE_HEADLINE_WORDS);
  });

  it('keeps the colon when what follows it is too short to stand alone', () => {
    expect(headlineFromSentence('Update: Talks resume.')).toBe('Update: Talks resume.');
  });
});
