import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { renderBriefing } from '../../../functions/adapters/mjml-renderer.ts';
import { personalise } from '../../../functions/core/render/personalise.ts';
import { escapeHtml, safeHttpUrl } from '../../../functions/core/render/safe.ts';
import { CONFIG, HOSTILE, hostileDigest, repoTemplates } from './fixtures.ts';

const SUBSCRIBER = {
  email: 'reader@example.org',
  unsubscribeUrl: 'https://example.com/unsubscribe?token=abc.def',
};

async function renderHostile() {
  const rendered = await renderBriefing(hostileDigest(), CONFIG, await repoTemplates());
  return { rendered, ...personalise(rendered, SUBSCRIBER) };
}

describe('safeHttpUrl', () => {
  it.each([
    'javascript:alert(1)',
    ' JAVASCRIPT:alert(1)',
    'java\tscript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    '//evil.example/x',
    '/relative/path',
    'mailto:a@b.com',
    'ftp://example.com/file',
    'https://',
    '',
  ])('refuses %j', (url) => {
    expect(safeHttpUrl(url)).toBeNull();
  });

  it('accepts http(s) and serialises quotes and brackets away', () => {
    expect(safeHttpUrl('https://example.com/a?b=c')).toBe('https://example.com/a?b=c');
    expect(safeHttpUrl('HTTP://Example.com/x')).toBe('http://example.com/x');
    const tricky = safeHttpUrl('https://ok.example/"><script>alert(1)</script>');
    expect(tricky).not.toBeNull();
    expect(tricky).not.toMatch(/["<> ]/);
  });
});

describe('escapeHtml', () => {
  it('escapes every character that can end a text node or an attribute', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&\`=`)).toBe(
      '&lt;a href&#61;&quot;x&quot; onclick&#61;&#39;y&#39;&gt;&amp;&#96;&#61;',
    );
  });
});

describe('hostile article values', () => {
  it('render no script, no event handler, no injected element', async () => {
    const { html } = await renderHostile();
    const { document } = parseHTML(html);
    expect(document.querySelectorAll('script')).toHaveLength(0);
    expect(document.querySelectorAll('img')).toHaveLength(0);
    expect(document.querySelectorAll('svg')).toHaveLength(0);
    expect(document.querySelectorAll('b')).toHaveLength(0);
    for (const element of document.querySelectorAll('*')) {
      for (const name of element.getAttributeNames()) {
        expect(name.toLowerCase().startsWith('on'), `<${element.tagName} ${name}>`).toBe(false);
      }
    }
  });

  it('show the hostile strings as visible text', async () => {
    const { html } = await renderHostile();
    const { document } = parseHTML(html);
    const text = document.body.textContent ?? '';
    expect(text).toContain(`${HOSTILE.script} Breaking ${HOSTILE.breakout}`);
    expect(text).toContain(`First ${HOSTILE.breakout} sentence.`);
    expect(text).toContain(`Second ${HOSTILE.mjmlBreakout} sentence.`);
    expect(text).toContain(`Fourth ${HOSTILE.svg} sentence.`);
    expect(text).toContain('Evil Outlet');
    expect(text).toContain(HOSTILE.outlet);
    // Handlebars syntax in data is data, not template.
    expect(text).toContain(HOSTILE.handlebars);
  });

  it('never turn javascript:, data: or vbscript: URLs into links', async () => {
    const { html, text } = await renderHostile();
    const { document } = parseHTML(html);
    const hrefs = [...document.querySelectorAll('[href]')].map((a) => a.getAttribute('href') ?? '');
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) expect(href).toMatch(/^https?:\/\//);
    for (const src of [...document.querySelectorAll('[src]')].map((e) => e.getAttribute('src') ?? '')) {
      expect(src).toMatch(/^https:\/\//);
    }
    expect(html.toLowerCase()).not.toMatch(/(?:java|vb)script:|data:text/);
    expect(text.toLowerCase()).not.toMatch(/<(?:java|vb)script:|<data:/);
    // The one hostile URL that is http(s) is linked, percent-encoded.
    expect(hrefs).toContain('https://ok.example/%22%3E%3Cscript%3Ealert(1)%3C/script%3E');
  });

  it('cannot smuggle a per-subscriber placeholder in', async () => {
    const { html, text } = await renderHostile();
    const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;
    const urlInHtml = escapeHtml(SUBSCRIBER.unsubscribeUrl);
    expect(count(html, urlInHtml)).toBe(1);
    expect(count(text, SUBSCRIBER.unsubscribeUrl)).toBe(1);
    expect(count(html, SUBSCRIBER.email)).toBe(1);
    expect(count(text, SUBSCRIBER.email)).toBe(1);
  });

  it('keep control characters and line breaks out of the subject', async () => {
    const digest = hostileDigest();
    const story = digest.stories[0]!;
    const rendered = await renderBriefing(
      { ...digest, stories: [{ ...story, headline: 'Line one\r\nBcc: victim@example.com\u0000' }] },
      CONFIG,
      await repoTemplates(),
    );
    expect(rendered.subject).not.toMatch(/[\r\n\u0000]/);
    expect(rendered.subject).toContain('Line one Bcc: victim@example.com');
  });

  it('strip bidirectional embedding, override and isolate controls from headlines and the subject', async () => {
    const bidi = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];
    const digest = hostileDigest();
    const story = digest.stories[0]!;
    // U+202E would show "Bank cuts rates" followed by the rest reversed: "...txt.exe" as "exe.txt...".
    const headline = `Bank cuts rates ${bidi.join('')}\u202egnp.exe`;
    const rendered = await renderBriefing(
      { ...digest, stories: [{ ...story, headline }] },
      CONFIG,
      await repoTemplates(),
    );
    const { html, text } = personalise(rendered, SUBSCRIBER);
    for (const control of bidi) {
      expect(rendered.subject).not.toContain(control);
      expect(html).not.toContain(control);
      expect(text).not.toContain(control);
    }
    expect(rendered.subject).toContain('Bank cuts rates gnp.exe');
  });
});
