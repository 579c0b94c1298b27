/** Digests for the rendering tests: the seeds-like fixture, a hostile one, and a very busy day. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTemplates } from '../../../functions/adapters/templates.ts';
import { type BriefingConfig, DEFAULT_BRIEFING_CONFIG } from '../../../functions/core/render/config.ts';
import type { BriefingTemplates } from '../../../functions/core/render/types.ts';
import type { Digest, DigestStory } from '../../../functions/core/types.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'digests');

export const CONFIG: BriefingConfig = {
  ...DEFAULT_BRIEFING_CONFIG,
  archiveBaseUrl: 'https://example.com/archive',
};

/** Three stories on 28 Feb 2022, modelled on the seeds (talks in Belarus, the rouble, refugees). */
export function seedsLikeDigest(): Digest {
  return JSON.parse(readFileSync(join(FIXTURES, '2022-02-28.json'), 'utf8')) as Digest;
}

let templates: Promise<BriefingTemplates> | null = null;
export function repoTemplates(): Promise<BriefingTemplates> {
  templates ??= loadTemplates();
  return templates;
}

export const HOSTILE = {
  script: '<script>alert(1)</script>',
  onerror: '<img src=x onerror=alert(1)>',
  breakout: '"><img src=x onerror=alert(1)>',
  svg: '<svg onload=alert(1)>',
  mjmlBreakout: '</mj-text></mj-column></mj-section><mj-raw><script>alert(2)</script></mj-raw>',
  handlebars: '{{footer.unsubscribeUrl}} {{{brand.name}}}',
  placeholder: '%%ND_UNSUBSCRIBE_URL%% %%ND_SUBSCRIBER_EMAIL%%',
  outlet: '<b onmouseover=alert(1)>Evil Outlet</b>',
} as const;

export const HOSTILE_URLS = [
  'javascript:alert(1)',
  ' JAVASCRIPT:alert(1)',
  'java\tscript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  '//evil.example/x',
  'https://ok.example/"><script>alert(1)</script>',
] as const;

/** A digest whose every article-supplied value is an attack. */
export function hostileDigest(): Digest {
  const articles = HOSTILE_URLS.map((url, i) => ({
    id: `h${i}`,
    source: `hostile/${i}.html`,
    title: HOSTILE.script,
    outlet: i === 0 ? HOSTILE.outlet : `Outlet ${i} ${HOSTILE.onerror}`,
    url,
    publishedAt: '2022-02-28',
    dateSource: 'metadata' as const,
  }));
  const story: DigestStory = {
    id: 'hostile"><script>',
    headline: `${HOSTILE.script} Breaking ${HOSTILE.breakout}`,
    summary: [
      { text: `First ${HOSTILE.breakout} sentence.`, articleId: 'h0' },
      { text: `Second ${HOSTILE.mjmlBreakout} sentence.`, articleId: 'h1' },
      { text: `Third ${HOSTILE.handlebars} ${HOSTILE.placeholder} sentence.`, articleId: 'h2' },
      { text: `Fourth ${HOSTILE.svg} sentence.`, articleId: 'h3' },
    ],
    articles,
    duplicates: [
      {
        source: 'hostile/dup.html',
        duplicateOf: 'hostile/0.html',
        similarity: 0.9,
        outlet: 'Dup',
        url: 'javascript:alert(3)',
      },
    ],
    figures: [
      {
        value: 1,
        display: HOSTILE.svg,
        subject: HOSTILE.onerror,
        articleId: 'h4',
        outlet: HOSTILE.outlet,
        sentence: HOSTILE.script,
      },
    ],
    disagreements: [
      {
        quantity: HOSTILE.mjmlBreakout,
        figures: [
          { value: 1, display: '1', subject: HOSTILE.script, articleId: 'h5', outlet: null, sentence: '' },
          { value: 2, display: '2', subject: HOSTILE.breakout, articleId: 'h6', outlet: null, sentence: '' },
        ],
      },
    ],
    followUpTo: { storyId: '"><script>', day: '2022-02-24', headline: `${HOSTILE.script} earlier` },
  };
  return { schemaVersion: 1, date: '2022-02-28', stories: [story] };
}

const SENTENCE =
  'Officials from both sides met for several hours on the border and agreed to meet again next week, ' +
  'according to statements released by their offices after the session ended late on Monday evening.';

/** A very busy day: `count` stories, each with five long sentences, three sourced articles and figures. */
export function busyDigest(count: number): Digest {
  const stories: DigestStory[] = [];
  for (let s = 0; s < count; s++) {
    const articles = [0, 1, 2].map((a) => ({
      id: `s${s}a${a}`,
      source: `busy/${s}-${a}.txt`,
      title: `Story ${s} article ${a}`,
      outlet: `Outlet ${a}`,
      url: `https://outlet${a}.example/news/2022/02/28/story-${s}-with-a-fairly-long-descriptive-slug`,
      publishedAt: '2022-02-28',
      dateSource: 'metadata' as const,
    }));
    stories.push({
      id: `busy-${s}`,
      headline: `Story number ${s}: a headline of ordinary length about an event that happened today`,
      summary: [0, 1, 2, 3, 4].map((i) => ({ text: `${SENTENCE} (${s}.${i})`, articleId: `s${s}a${i % 3}` })),
      articles,
      duplicates: [],
      figures: [
        {
          value: 4500,
          display: '4,500',
          subject: 'people affected',
          articleId: `s${s}a0`,
          outlet: 'Outlet 0',
          sentence: SENTENCE,
        },
      ],
      disagreements: [],
      // Fewer outlets for later stories, so "most-covered first" has an order to keep.
      outlets:
        s < 5 ? ['Outlet 0', 'Outlet 1', 'Outlet 2', 'Outlet 3'] : ['Outlet 0', 'Outlet 1', 'Outlet 2'],
    });
  }
  return { schemaVersion: 1, date: '2022-02-28', stories };
}
