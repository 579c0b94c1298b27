/**
 * Email escaping re-checked end to end against the hostile suite: hostile articles (an HTML page full
 * of scripts and handlers, a text file whose title, header lines and body are markup, a JSON article
 * with javascript:/data: URLs and a markup outlet) go through the real pipeline (extract → StoryEngine →
 * digest), the briefing is rendered and personalised, and the HTML a subscriber receives must contain
 * no script, no event-handler attribute and no javascript:/data:/vbscript: URL.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsArticleSource, FsDigestStore } from '../../../functions/adapters/fs-store.ts';
import { renderBriefing } from '../../../functions/adapters/mjml-renderer.ts';
import { loadTemplates } from '../../../functions/adapters/templates.ts';
import { composeMessage } from '../../../functions/app/compose.ts';
import { ingestBatch } from '../../../functions/app/ingest-batch.ts';
import { DEFAULT_BRIEFING_CONFIG } from '../../../functions/core/render/config.ts';
import type { Digest } from '../../../functions/core/types.ts';
import { generatedArticle } from '../../hostile/articles.ts';
import { hostileArticleHtml } from '../../hostile/cases.ts';

const MARKUP = [
  '<script>alert("t")</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(2)>',
  "javascript:alert('x')",
  '</mj-text><mj-raw><script>alert(3)</script></mj-raw>',
  '{{{footer.unsubscribeUrl}}}',
];

function hostileText(): string {
  const { body } = generatedArticle(9800);
  return [
    `Harbour row ${MARKUP[0]} ${MARKUP[1]} deepens`,
    'url: javascript:alert(document.domain)',
    `source: <b onmouseover=alert(1)>Evil Gazette</b> ${MARKUP[2]}`,
    'date: 2022-03-05',
    '',
    `The harbour dispute deepened on Saturday ${MARKUP[0]} as officials met ${MARKUP[1]} behind closed doors.`,
    '',
    `${body}\n\nA late statement read ${MARKUP[4]} and ${MARKUP[5]} before ${MARKUP[3]} ended the meeting.`,
  ].join('\n');
}

function hostileJson(): string {
  const { title, body } = generatedArticle(9801);
  return JSON.stringify({
    title: `${title} ${MARKUP[1]}`,
    maintext: `${body}\n\nThe mayor wrote ${MARKUP[0]} in a post that was later deleted by the council.`,
    url: 'javascript:alert(1)//https://news.example/a',
    source_domain: '<img src=x onerror=alert(9)>.example',
    description: MARKUP[2],
    date_publish: '2022-03-05 09:00:00',
  });
}

const root = mkdtempSync(join(tmpdir(), 'escaping-'));
let digests: Digest[] = [];

beforeAll(async () => {
  const inDir = join(root, 'in');
  mkdirSync(inDir, { recursive: true });
  const files: Record<string, string> = {
    'hostile-markup.html': hostileArticleHtml(),
    'hostile-title.txt': hostileText(),
    'hostile.json': hostileJson(),
  };
  for (const [name, content] of Object.entries(files)) writeFileSync(join(inDir, name), content);
  const store = new FsDigestStore(join(root, 'out'));
  const report = await ingestBatch(
    Object.keys(files).map((key) => ({ key, arrivedAt: new Date('2022-03-20T08:00:00Z') })),
    { source: new FsArticleSource(inDir), store },
  );
  expect(report.files.map((f) => f.outcome.kind)).toEqual(['story', 'story', 'story']);
  digests = await Promise.all(
    (await store.listDigestDays()).map(async (day) => (await store.getDigest(day)) as Digest),
  );
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const DANGEROUS_URL = /^\s*(?:javascript|data|vbscript):/i;

describe('hostile articles through the pipeline into the briefing', () => {
  it('carry their markup into the digest as plain text (so the test is meaningful)', () => {
    const json = JSON.stringify(digests);
    expect(json).toContain('<script>');
    expect(json).toMatch(/onerror/);
  });

  it('render to HTML without scripts, handlers or dangerous URLs for every subscriber', async () => {
    const templates = await loadTemplates();
    expect(digests.length).toBeGreaterThan(0);
    for (const digest of digests) {
      const rendered = await renderBriefing(digest, DEFAULT_BRIEFING_CONFIG, templates);
      const message = composeMessage(
        rendered,
        digest,
        DEFAULT_BRIEFING_CONFIG,
        'reader@example.org',
        'secret',
      );
      const { document } = parseHTML(message.html);
      expect(document.querySelectorAll('script, iframe, object, embed, svg, form, mj-raw')).toHaveLength(0);
      for (const element of document.querySelectorAll('*')) {
        for (const attribute of Array.from(element.attributes) as { name: string; value: string }[]) {
          expect(attribute.name, `${element.tagName} has ${attribute.name}`).not.toMatch(/^on/i);
          if (['href', 'src', 'action', 'formaction', 'background', 'xlink:href'].includes(attribute.name)) {
            expect(attribute.value, `${element.tagName} ${attribute.name}`).not.toMatch(DANGEROUS_URL);
          }
          if (attribute.name === 'style') expect(attribute.value).not.toMatch(/javascript:|expression\(/i);
        }
      }
      // The raw HTML never contains an unescaped hostile fragment either.
      expect(message.html).not.toMatch(/<script|<svg|<img src=x|onerror=|onload=|onmouseover=/i);
      expect(message.html).not.toMatch(/href\s*=\s*["']?\s*(?:javascript|data|vbscript):/i);
      // The hostile text is shown escaped, not dropped: readers see what the source said.
      expect(document.body?.textContent ?? '').toContain('<script>');
    }
  });
});
