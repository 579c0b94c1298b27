/**
 * What each rule of text sizing is for: "too short to be an article" is decided by word count, so
 * whitespace must be exactly JavaScript's, a line-rule limit must stop counting at the right word, and
 * text in scripts written without spaces (Chinese, Japanese, Thai, Khmer, Myanmar…) must not count as
 * one word per paragraph.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  countWords,
  hasWords,
  isSpaceCode,
  UNSPACED_CHARS_PER_WORD,
  wordSize,
} from '../../../functions/core/extract/size.ts';

describe('isSpaceCode', () => {
  it('is exactly JavaScript’s \\s on every UTF-16 code unit', () => {
    const differing: string[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      if (isSpaceCode(c) !== /\s/.test(String.fromCharCode(c))) differing.push(c.toString(16));
    }
    expect(differing).toEqual([]);
  });
});

describe('countWords', () => {
  it('counts whitespace-separated tokens, whatever the whitespace', () => {
    expect(countWords('')).toBe(0);
    expect(countWords('one')).toBe(1);
    expect(countWords('  one\ttwo\n\nthree\u00a0four\u3000five  ')).toBe(5);
    expect(countWords('— , .')).toBe(3);
  });

  it('stops at limit + 1, enough to answer "more than limit?"', () => {
    expect(countWords('a b c d e', 2)).toBe(3);
    expect(countWords('a b', 2)).toBe(2);
    expect(countWords('a b c', 3)).toBe(3);
    expect(countWords('a', 0)).toBe(1);
  });
});

describe('wordSize', () => {
  it('counts tokens that hold a letter or a digit, in any script', () => {
    expect(wordSize('Hello, world 2024 — ok!')).toBe(4);
    expect(wordSize('-- ** ... ')).toBe(0);
    expect(wordSize('Zürich Ελλάδα Москва مرحبا')).toBe(4);
    expect(wordSize('a1 Z9 z A 0 9')).toBe(6);
    expect(wordSize('` @ [ { / :')).toBe(0);
  });

  it('counts a token once however many letters it holds', () => {
    expect(wordSize('abc1 x-y-z')).toBe(2);
    expect(wordSize('—é— --a--')).toBe(2);
    expect(wordSize('é— Ж—')).toBe(2);
  });

  it(`counts ${UNSPACED_CHARS_PER_WORD} characters a word in scripts written without spaces`, () => {
    expect(UNSPACED_CHARS_PER_WORD).toBe(2);
    expect(wordSize('中国新闻')).toBe(2);
    expect(wordSize('ひらがなカタカナ')).toBe(4);
    expect(wordSize('ภาษาไทย')).toBe(3.5);
    expect(wordSize('ພາສາລາວ')).toBe(3.5);
    expect(wordSize('ភាសា')).toBe(2);
    expect(wordSize('မြန်မာ')).toBeGreaterThan(1);
  });

  it('counts the spaced words beside unspaced text, and no unspaced character twice', () => {
    expect(wordSize('Tokyo 東京 2024')).toBe(3);
    expect(wordSize('Tokyo東京2024')).toBe(3);
    expect(wordSize('Hello。 world')).toBe(2);
    expect(wordSize('新闻 news 新闻')).toBe(3);
  });

  it('finds unspaced text at each end of the blocks that may hold it', () => {
    // First and last code points of each block the fast path hands to the exact count.
    for (const char of ['\u1000', '\u109f', '\u1780', '\u19ff', '\u2e80', '\uf900', '\uff66', '𠀀']) {
      expect(wordSize(`${char}${char}${char}`)).toBe(1.5);
    }
  });
});

describe('wordSize against its definition', () => {
  /** The definition: unspaced-script characters count a half word each, other tokens when they hold a letter or digit. */
  const UNSPACED =
    /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/gu;
  const definition = (text: string) =>
    text
      .replace(UNSPACED, ' ')
      .split(/\s+/)
      .filter((token) => /[\p{L}\p{N}]/u.test(token)).length +
    (text.match(UNSPACED)?.length ?? 0) / 2;
  const CHARACTERS = [...'aZ09 -—.,;\t\n\u00a0\u3000\u2028éßЖ中ひカไລភမ。！Ａｱ𠀀𝐀\u0301\u0e00\ua4cf'];

  it('gives the same count on any mix of scripts, spaces and punctuation', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...CHARACTERS), { maxLength: 30 }), (chars) => {
        const text = chars.join('');
        expect(wordSize(text)).toBe(definition(text));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('hasWords', () => {
  it('is true from exactly n words', () => {
    expect(hasWords('one two three', 3)).toBe(true);
    expect(hasWords('one two', 3)).toBe(false);
  });

  it('finds words beyond the prefix it looks at first', () => {
    expect(hasWords(`${' '.repeat(500)}one two three`, 3)).toBe(true);
  });
});
