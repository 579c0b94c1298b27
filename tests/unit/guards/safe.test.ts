/**
 * What each guard in the display-safety helpers is for: article values are untrusted, so an escape,
 * a dropped control character, a URL refusal or a broken-up placeholder marker each stops one way an
 * article could inject markup, a link or a per-subscriber slot into every reader's briefing.
 */
import { describe, expect, it } from 'vitest';
import { PLACEHOLDERS } from '../../../functions/core/render/placeholders.ts';
import { cleanText, escapeHtml, hostLabel, safeHttpUrl } from '../../../functions/core/render/safe.ts';

describe('escapeHtml', () => {
  it.each([
    ['&', '&amp;'],
    ['<', '&lt;'],
    ['>', '&gt;'],
    ['"', '&quot;'],
    ["'", '&#39;'],
    ['`', '&#96;'],
    ['=', '&#61;'],
  ])('escapes %j wherever it stands', (char, entity) => {
    expect(escapeHtml(`a${char}b${char}`)).toBe(`a${entity}b${entity}`);
  });

  it('leaves other text alone', () => {
    expect(escapeHtml('Zürich: 3% up; #1 (of 2) / x?')).toBe('Zürich: 3% up; #1 (of 2) / x?');
  });
});

describe('cleanText', () => {
  it('drops C0 and C1 control characters and DEL but keeps tab, newline and carriage return', () => {
    expect(cleanText('a\u0000b\u0008c\u000bd\u000ce\u000ef\u001fg\u007fh\u0080i\u009fj')).toBe('abcdefghij');
    expect(cleanText('a\tb\nc\rd')).toBe('a\tb\nc\rd');
  });

  it('keeps the characters right outside the control ranges', () => {
    expect(cleanText(' ~\u00a0é')).toBe(' ~\u00a0é');
  });

  it('breaks up every placeholder marker so article text cannot pose as a subscriber slot', () => {
    const cleaned = cleanText(`x ${PLACEHOLDERS.email} y %%`);
    expect(cleaned).not.toContain('%%');
    expect(cleaned).toBe('x %\u2060%ND_SUBSCRIBER_EMAIL%\u2060% y %\u2060%');
  });
});

describe('safeHttpUrl', () => {
  it('refuses a missing value', () => {
    expect(safeHttpUrl(null)).toBeNull();
    expect(safeHttpUrl(undefined)).toBeNull();
    expect(safeHttpUrl('   ')).toBeNull();
  });

  it('drops control characters anywhere in the URL rather than percent-encoding them into a link', () => {
    expect(safeHttpUrl('https://example.com/a\u0007b\u0085c')).toBe('https://example.com/abc');
  });

  it('links a URL of up to 2,048 characters and refuses a longer one', () => {
    const base = 'https://example.com/';
    const longest = base + 'a'.repeat(2048 - base.length);
    expect(safeHttpUrl(longest)).toBe(longest);
    expect(safeHttpUrl(`${longest}a`)).toBeNull();
  });

  it('counts the length after trimming, so padding does not make a good URL too long', () => {
    const base = 'https://example.com/';
    const longest = base + 'a'.repeat(2048 - base.length);
    expect(safeHttpUrl(`   ${longest}   `)).toBe(longest);
  });

  it('accepts both http and https', () => {
    expect(safeHttpUrl('http://example.com/')).toBe('http://example.com/');
    expect(safeHttpUrl('https://example.com/')).toBe('https://example.com/');
  });

  it('refuses every other scheme, including ones that look like http', () => {
    for (const url of [
      'httpx://example.com/',
      'file:///etc/passwd',
      'ws://example.com/',
      'blob:https://e.com/x',
    ]) {
      expect(safeHttpUrl(url)).toBeNull();
    }
  });

  it('breaks up a placeholder marker inside a URL', () => {
    expect(safeHttpUrl(`https://example.com/?to=${PLACEHOLDERS.email}`)).toBe(
      'https://example.com/?to=%25%25ND_SUBSCRIBER_EMAIL%25%25',
    );
  });
});

describe('hostLabel', () => {
  it('names the outlet by its host without a leading www.', () => {
    expect(hostLabel('https://www.bbc.co.uk/news/1')).toBe('bbc.co.uk');
    expect(hostLabel('https://Example.COM/')).toBe('example.com');
  });

  it('keeps a www. that is not the first label', () => {
    expect(hostLabel('https://news.www.example.com/')).toBe('news.www.example.com');
    expect(hostLabel('https://wwwxexample.com/')).toBe('wwwxexample.com');
  });

  it('has no label for a URL that is not a safe link', () => {
    expect(hostLabel('javascript:alert(1)')).toBeNull();
    expect(hostLabel(null)).toBeNull();
  });
});
