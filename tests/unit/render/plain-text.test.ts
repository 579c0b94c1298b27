import { describe, expect, it } from 'vitest';
import { renderBriefing } from '../../../functions/adapters/mjml-renderer.ts';
import { personalise } from '../../../functions/core/render/personalise.ts';
import { TEXT_WIDTH, wrapParagraph } from '../../../functions/core/render/wrap.ts';
import { busyDigest, CONFIG, hostileDigest, repoTemplates, seedsLikeDigest } from './fixtures.ts';

const SUBSCRIBER = {
  email: 'reader@example.org',
  unsubscribeUrl: `https://example.com/unsubscribe?token=${'x'.repeat(120)}`,
};

/** A line may exceed the width only when it is one unbreakable token: a URL in angle brackets. */
function overlongLines(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => Array.from(line).length > TEXT_WIDTH)
    .filter((line) => !/^\s*<https?:\/\/\S+>$/.test(line));
}

const squash = (s: string) => s.replace(/\s+/g, ' ');

describe('plain-text alternative', () => {
  it.each([
    ['seeds-like', seedsLikeDigest],
    ['hostile', hostileDigest],
    ['busy', () => busyDigest(40)],
  ])('%s digest: every line fits in 72 columns', async (_name, make) => {
    const rendered = await renderBriefing(make(), CONFIG, await repoTemplates());
    const { text } = personalise(rendered, SUBSCRIBER);
    expect(overlongLines(text)).toEqual([]);
  });

  it('carries the same content as the HTML, in the same order', async () => {
    const digest = seedsLikeDigest();
    const { text } = personalise(await renderBriefing(digest, CONFIG, await repoTemplates()), SUBSCRIBER);
    const flat = squash(text);
    // Most-covered first: the talks (5 outlets), the rouble (2), refugees (1).
    const order = ['CEASEFIRE TALKS', 'ROUBLE HITS RECORD LOW', 'MORE THAN 500,000 REFUGEES'].map((h) =>
      flat.indexOf(h),
    );
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    for (const story of digest.stories) {
      for (const sentence of story.summary) expect(flat).toContain(squash(sentence.text));
    }
    expect(flat).toContain('(The Sun)');
    expect(flat).toContain('Follow-up to "Russia launches full-scale invasion of Ukraine", 24 Feb');
    expect(flat).toContain('Sources differ: Russian military casualties so far');
    expect(flat).toContain('Also reported by 2 outlets:');
    expect(flat).toContain('<https://news.yahoo.com/russia-ukraine-start-ceasefire-talks-0815.html>');
    expect(flat).toContain('Monday 28 February 2022 · 3 stories');
    expect(flat).toContain(`<${SUBSCRIBER.unsubscribeUrl}>`);
    expect(flat).toContain(CONFIG.postalAddress);
    expect(flat).toContain(CONFIG.whyYouGetThis);
  });
});

describe('wrapParagraph', () => {
  it('wraps at word boundaries with a hanging indent', () => {
    const lines = wrapParagraph('one two three four five six', 12, '- ', '  ');
    expect(lines).toEqual(['- one two', '  three four', '  five six']);
  });

  it('keeps an over-long URL whole on its own line', () => {
    const url = `<https://example.com/${'a'.repeat(80)}>`;
    expect(wrapParagraph(`see ${url} now`, 20)).toEqual(['see', url, 'now']);
  });

  it('breaks any other over-long word', () => {
    expect(wrapParagraph(`x ${'a'.repeat(25)}`, 10, '  ')).toEqual([
      '  x',
      `  ${'a'.repeat(8)}`,
      `  ${'a'.repeat(8)}`,
      `  ${'a'.repeat(8)}`,
      '  a',
    ]);
  });

  it('counts code points, not UTF-16 units', () => {
    const word = '😀'.repeat(5);
    expect(wrapParagraph(`${word} ${word}`, 11)).toEqual([`${word} ${word}`]);
  });
});
