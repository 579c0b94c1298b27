/** Headlines made from a sentence when no member article has a usable title. */
import { describe, expect, it } from 'vitest';
import {
  capitaliseFirst,
  dropIntroductoryPhrase,
  dropRubric,
  dropTrailingClause,
  dropTrailingConjunct,
  hasFiniteVerb,
  headlineFromSentence,
  MAX_SENTENCE_HEADLINE_WORDS,
} from '../../../functions/core/stories/headline.ts';

/** Seed 003's lede: a rubric, a lead-in, the main clause and a trailing "even as" clause. */
const CORRIDORS_LEDE =
  'Russia-Ukraine war: Amid the ongoing fight intensifying, Russia and Ukraine agreed Thursday to create humanitarian corridors for civilians to evacuate and for humanitarian supplies to be delivered, even as Russian President Vladimir Putin said Moscow\'s advance was "going to plan" and to schedule.';

describe('headlineFromSentence', () => {
  it('never drops the attribution of a claim ("according to …", before or after the main clause)', () => {
    expect(dropTrailingClause('Fighting resumed near the airport, according to local officials.')).toBe(
      'Fighting resumed near the airport, according to local officials.',
    );
    expect(dropIntroductoryPhrase('According to the UN, two million people have fled the country.')).toBe(
      'According to the UN, two million people have fled the country.',
    );
  });

  it('keeps a short sentence whole', () => {
    expect(headlineFromSentence('Bridge closed for repairs after storm damage.')).toBe(
      'Bridge closed for repairs after storm damage.',
    );
  });

  it('compresses a lede to its main clause: rubric, lead-in, trailing clause and conjunct dropped, no ellipsis', () => {
    expect(headlineFromSentence(CORRIDORS_LEDE)).toBe(
      'Russia and Ukraine agreed Thursday to create humanitarian corridors for civilians to evacuate',
    );
  });

  it('keeps the colon when what follows it is too short to stand alone', () => {
    expect(headlineFromSentence('Update: Talks resume.')).toBe('Update: Talks resume.');
  });

  it('capitalises a main clause that started in lower case after its lead-in', () => {
    expect(
      headlineFromSentence(
        'As the war enters its second week, millions have fled the country since the invasion.',
      ),
    ).toBe('Millions have fled the country since the invasion.');
  });

  it('cuts a main clause still too long at a word boundary with an ellipsis', () => {
    const headline = headlineFromSentence(
      'The regional council voted on Tuesday night to close the old bridge over the river to all heavy traffic for at least six months of urgent repairs.',
    );
    expect(headline.endsWith('…')).toBe(true);
    expect(headline.split(' ').length).toBeLessThanOrEqual(MAX_SENTENCE_HEADLINE_WORDS);
    expect(headline).toBe('The regional council voted on Tuesday night to close the old bridge…');
  });
});

describe('dropRubric', () => {
  it('drops a short label before a colon', () => {
    expect(dropRubric('Russia-Ukraine war: Talks resume in Belarus on Monday.')).toBe(
      'Talks resume in Belarus on Monday.',
    );
  });
});

describe('dropIntroductoryPhrase', () => {
  it('drops a scene-setting lead-in whose remainder is a clause of its own', () => {
    expect(
      dropIntroductoryPhrase(
        "In his latest address, Zelensky called for Ukraine's immediate accession to the EU.",
      ),
    ).toBe("Zelensky called for Ukraine's immediate accession to the EU.");
  });

  it('keeps a lead-in whose comma starts a list, not the main clause', () => {
    const sentence = 'In Kyiv, Kharkiv and Odesa, residents sheltered in metro stations overnight.';
    expect(dropIntroductoryPhrase(sentence)).toBe(sentence);
  });

  it('keeps a lead-in whose comma opens a relative clause', () => {
    const sentence = 'Despite sanctions, which began in March, the economy grew by two per cent.';
    expect(dropIntroductoryPhrase(sentence)).toBe(sentence);
  });

  it('keeps a lead-in that names who a pronoun subject is', () => {
    const sentence = 'When Google launched its new phone last year, it included a surprise co-processor.';
    expect(dropIntroductoryPhrase(sentence)).toBe(sentence);
  });

  it('keeps a condition, which the main clause is false without', () => {
    const sentence = 'If talks fail, Russia will press on with the assault on the capital.';
    expect(dropIntroductoryPhrase(sentence)).toBe(sentence);
  });
});

describe('dropTrailingClause', () => {
  it('cuts at ", as" when the main clause stands alone', () => {
    expect(
      dropTrailingClause(
        'Officials arrived at the border for peace talks on Monday, as Zelensky warned the next 24 hours would be crucial.',
      ),
    ).toBe('Officials arrived at the border for peace talks on Monday');
  });

  it('cuts at a dash aside that runs to the end', () => {
    expect(
      dropTrailingClause(
        'Zelensky called for immediate accession to the EU — one day after von der Leyen spoke.',
      ),
    ).toBe('Zelensky called for immediate accession to the EU');
  });

  it('keeps an aside embedded in the main clause, whose verb follows it', () => {
    const sentence = 'Putin said the offensive, which began Thursday, was going to plan.';
    expect(dropTrailingClause(sentence)).toBe(sentence);
  });

  it('does not leave a dashed aside open', () => {
    const sentence = 'The man — a former minister who resigned last year — said he would run again.';
    expect(dropTrailingClause(sentence)).toBe(sentence);
  });

  it('does not keep a subordinate clause as if it were the main clause', () => {
    const sentence =
      'Since the moon is at perigee — its closest point to Earth in the lunar cycle — it appears closer and brighter.';
    expect(dropTrailingClause(sentence)).toBe(sentence);
  });

  it('does not cut at "as" used as a preposition', () => {
    const sentence = 'Palestinians have since hailed Ahed Tamimi, 16, as an icon in their fight.';
    expect(dropTrailingClause(sentence)).toBe(sentence);
  });

  it('keeps a question whole', () => {
    const sentence = 'Will Russia and Ukraine agree to end the war, as Zelensky hopes?';
    expect(dropTrailingClause(sentence)).toBe(sentence);
  });

  it('keeps the sentence when what precedes the break is too short to stand alone', () => {
    const sentence = 'Talks resumed, as expected, in the border town of Gomel on Monday.';
    expect(dropTrailingClause(sentence)).toBe(sentence);
  });
});

describe('dropTrailingConjunct', () => {
  it('drops a coordinated phrase that brings a long clause within the headline length', () => {
    expect(
      dropTrailingConjunct(
        'Ministers agreed on Friday to open three new routes for aid convoys into the city and to extend the ceasefire by a week',
      ),
    ).toBe('Ministers agreed on Friday to open three new routes for aid convoys into the city');
  });

  it('keeps a coordinated noun, which is part of one phrase', () => {
    const clause =
      'Police in the northern city of Leeds arrested the mayor and his deputy on Monday over claims of fraud in contracts';
    expect(dropTrailingConjunct(clause)).toBe(clause);
  });

  it('leaves a clause within the headline length whole', () => {
    const clause = 'Ministers agreed to open new routes for aid and to extend the ceasefire';
    expect(dropTrailingConjunct(clause)).toBe(clause);
  });
});

describe('hasFiniteVerb / capitaliseFirst', () => {
  it('tells a clause from a noun phrase', () => {
    expect(hasFiniteVerb('Russia and Ukraine agreed Thursday'.split(' '))).toBe(true);
    expect(hasFiniteVerb('Kharkiv and Odesa'.split(' '))).toBe(false);
    expect(hasFiniteVerb('two hundred Ahmed'.split(' '))).toBe(false);
  });

  it('upper-cases only the first letter, past leading punctuation', () => {
    expect(capitaliseFirst('"millions have fled"')).toBe('"Millions have fled"');
  });
});
