/** HTML article furniture the single-line rules miss: a block of promo sentences, timestamp lines in other languages. Prose is kept. */
import { describe, expect, it } from 'vitest';
import {
  filterParagraphs,
  isForeignTimestampLine,
  isPromoBlock,
} from '../../../functions/core/extract/html/filter.ts';

const PLUG =
  "Get the best of Daily News delivered to your inbox - subscribe to Daily News Morning. Follow DailyNews.com on Twitter, Instagram, Facebook, Telegram and on YouTube, and stay in the know with what's happening in the world around you – in real time.";

describe('promo blocks', () => {
  it('reads a block whose every sentence is a promo as one', () => {
    expect(isPromoBlock(PLUG)).toBe(true);
  });

  it('keeps prose, and prose that merely mentions a newsletter among other sentences', () => {
    expect(isPromoBlock('The council met today. It voted for the harbour plan after a long debate.')).toBe(
      false,
    );
    expect(
      isPromoBlock(
        'The paper will launch a newsletter next month. Its editor said the plan had been discussed for years.',
      ),
    ).toBe(false);
    // One sentence is left to the single-line promo rules.
    expect(isPromoBlock('Follow us on Twitter.')).toBe(false);
  });

  it('drops the plug at the end of an article', () => {
    const prose = [
      'The council voted on the harbour plan after a long debate that ran late into the evening.',
      'Residents packed the hall to hear the decision, and many stayed to speak after the vote.',
    ];
    expect(filterParagraphs([...prose, PLUG], null)).toEqual(prose);
  });
});

describe('timestamp lines in other languages', () => {
  it('reads French, German and Spanish timestamp lines, and not a sentence that starts the same way', () => {
    expect(isForeignTimestampLine('Publié le jeudi 24 décembre 2020 à 07h47')).toBe(true);
    expect(isForeignTimestampLine('Veröffentlicht am 3. März 2021, 10:32 Uhr')).toBe(true);
    expect(isForeignTimestampLine('Publicado el 3 de marzo de 2021')).toBe(true);
    expect(isForeignTimestampLine('Publié le rapport de 2020, le ministre a dit que tout allait bien.')).toBe(
      false,
    );
  });

  it('drops such a line from an HTML article', () => {
    const prose = [
      'Un homme a reçu une amende de 250 euros, mardi soir, pour avoir circulé dans les rues du village.',
    ];
    expect(filterParagraphs(['Publié le jeudi 24 décembre 2020 à 07h47', ...prose], null)).toEqual(prose);
  });
});
