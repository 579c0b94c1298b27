/** Key figures: where a figure's subject ends, which numbers are not counts, which figures are minor. */
import { describe, expect, it } from 'vitest';
import {
  articleFigures,
  extractFigures,
  findDisagreements,
  isMinorFigure,
  keyFigures,
  MODIFIER_LOOKAHEAD_WORDS,
  SUBJECT_WORDS,
} from '../../../functions/core/stories/figures.ts';
import { withTunables } from '../../../functions/core/tunables.ts';

function subjects(text: string): [string, string][] {
  return extractFigures(text).map((f) => [f.display, f.subject]);
}

function keyOf(text: string): string[] {
  const figures = articleFigures('a1', 'Outlet', text);
  return keyFigures(figures, findDisagreements(figures)).map((f) => `${f.display} ${f.subject}`.trim());
}

describe('figure subjects end at a phrase boundary', () => {
  it('stops before a "since" clause instead of inside it', () => {
    expect(subjects('Zelenskyy also claimed 16 children had been killed since Russia invaded.')).toEqual([
      ['16', 'children killed'],
    ]);
  });

  it("reads past a short modifier to the subject's verb", () => {
    expect(subjects('At least 102 civilians in Ukraine have been killed since Thursday.')).toEqual([
      ['102', 'civilians killed'],
    ]);
  });

  it('takes no verb from another clause after a modifier', () => {
    expect(subjects('About 300 protesters in the capital on Monday demanded his resignation.')).toEqual([
      ['300', 'protesters'],
    ]);
  });

  it('does not run on past a comma into the attribution', () => {
    expect(subjects('Russia has suffered 4,500 casualties, Zelensky said.')).toEqual([
      ['4,500', 'casualties'],
    ]);
  });

  it('gives no subject across a coordination', () => {
    expect(
      subjects('The central bank raised interest rates from 9.5% to 20% and announced a raft of measures.'),
    ).toEqual([
      ['9.5%', ''],
      ['20%', ''],
    ]);
  });
});

describe('numbers that are not counts', () => {
  it('skips an age in commas and an ordinal', () => {
    expect(subjects('Michael Neu, 67, was charged on the 45th anniversary of the fraud law.')).toEqual([]);
  });

  it('skips a day label and the parts of a date', () => {
    expect(
      subjects('Zelensky warned on Day 5 of the invasion that talks would start on 2022-03-04 at noon.'),
    ).toEqual([]);
  });
});

describe('minor figures', () => {
  it('treats durations as minor and counts as key', () => {
    expect(isMinorFigure({ subject: 'minutes' })).toBe(true);
    expect(isMinorFigure({ subject: 'hours' })).toBe(true);
    expect(isMinorFigure({ subject: 'Ukrainians fleeing' })).toBe(false);
  });

  it("leaves a meeting's length out of the key figures when a count exists", () => {
    expect(
      keyOf(
        'Kuleba spoke after the meeting lasting about 90 minutes. More than 2 million Ukrainians fled into neighbouring countries.',
      ),
    ).toEqual(['2 million Ukrainians fled']);
  });

  it('shows no duration even when the story has no other figure: "90 minutes" names nothing counted (issue 20)', () => {
    expect(keyOf('The two ministers met for 90 minutes in Antalya.')).toEqual([]);
  });
});

describe('figure tunables (cross-validated in the eval)', () => {
  it('reads as many subject words as figureSubjectWords says, and the production count outside', () => {
    const text = 'Officials counted 40 heavy armoured Russian army trucks on the road.';
    expect(SUBJECT_WORDS).toBe(4);
    expect(subjects(text)).toEqual([['40', 'heavy armoured Russian army']]);
    expect(withTunables({ figureSubjectWords: 2 }, () => subjects(text))).toEqual([['40', 'heavy armoured']]);
  });

  it('looks for the verb past a modifier only as far as figureModifierLookaheadWords says', () => {
    const text = 'At least 102 civilians in Ukraine have been killed since Thursday.';
    expect(MODIFIER_LOOKAHEAD_WORDS).toBe(3);
    expect(withTunables({ figureModifierLookaheadWords: 1 }, () => subjects(text))).toEqual([
      ['102', 'civilians'],
    ]);
  });
});
