/**
 * What the briefing says, checked in the view and in both rendered alternatives (HTML and plain
 * text): the preheader's story count, a footer that names the sender once, wire production labels,
 * "Sources differ" only when there are several sources, follow-up links without an archive, and
 * coverage that never calls an unnamed article an outlet.
 */
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { renderBriefing } from '../../../functions/adapters/mjml-renderer.ts';
import { type BriefingConfig, DEFAULT_BRIEFING_CONFIG } from '../../../functions/core/render/config.ts';
import {
  buildBriefingView,
  contactLineOf,
  PRODUCTION_LABELS,
  withoutProductionLabel,
} from '../../../functions/core/render/view.ts';
import type { Digest, DigestStory, KeyFigure } from '../../../functions/core/types.ts';
import { CONFIG, repoTemplates } from './fixtures.ts';

const DAY = '2022-02-28';
/** No archive: the default configuration, as the CLI uses it. */
const NO_ARCHIVE: BriefingConfig = { ...DEFAULT_BRIEFING_CONFIG, archiveBaseUrl: null };

function article(id: string, outlet: string | null, url: string | null = null) {
  return {
    id,
    source: `${id}.txt`,
    title: null,
    outlet,
    url,
    publishedAt: DAY,
    dateSource: 'text' as const,
  };
}

function story(id: string, extra: Partial<DigestStory> = {}): DigestStory {
  return {
    id,
    headline: `Headline of ${id}`,
    summary: [{ text: `A sentence about ${id}.`, articleId: `${id}-a` }],
    articles: [article(`${id}-a`, 'Reuters')],
    duplicates: [],
    ...extra,
  };
}

function digestOf(...stories: DigestStory[]): Digest {
  return { schemaVersion: 1, date: DAY, stories };
}

function figure(articleId: string, value: number, subject: string): KeyFigure {
  return {
    value,
    display: value.toLocaleString('en-GB'),
    subject,
    articleId,
    outlet: null,
    sentence: `${value} ${subject}.`,
  };
}

/** The rendered HTML's visible text (tags dropped, whitespace collapsed) and the plain text, squashed. */
async function rendered(digest: Digest, config: BriefingConfig = NO_ARCHIVE) {
  const out = await renderBriefing(digest, config, await repoTemplates());
  const { document } = parseHTML(out.html);
  return {
    html: out.html,
    document,
    htmlText: (document.body?.textContent ?? '').replace(/\s+/g, ' '),
    text: out.text.replace(/\s+/g, ' '),
  };
}

describe('preheader', () => {
  it('carries the top headline and the story count on a one-story day and on a busier one', async () => {
    const one = buildBriefingView(digestOf(story('a')), NO_ARCHIVE);
    expect(one.preheader).toBe("Headline of a · 1 story in today's briefing");
    const three = buildBriefingView(digestOf(story('a'), story('b'), story('c')), NO_ARCHIVE);
    expect(three.preheader).toBe("Headline of a · 3 stories in today's briefing");
    const { html } = await rendered(digestOf(story('a')));
    expect(html).toContain('Headline of a · 1 story in today&#x27;s briefing');
  });
});

describe('footer', () => {
  it('the default postal address does not start with the brand', () => {
    expect(DEFAULT_BRIEFING_CONFIG.postalAddress.startsWith(DEFAULT_BRIEFING_CONFIG.brandName)).toBe(false);
    expect(DEFAULT_BRIEFING_CONFIG.postalAddress.startsWith(DEFAULT_BRIEFING_CONFIG.senderName)).toBe(false);
  });

  it('names the sender once, whether or not the postal line starts with the name', () => {
    expect(contactLineOf('News Digest', '1 Example Street')).toBe('News Digest · 1 Example Street');
    expect(contactLineOf('News Digest', 'News Digest, 1 Example Street')).toBe(
      'News Digest, 1 Example Street',
    );
    expect(contactLineOf('News Digest', 'news digest Ltd, 1 Example Street')).toBe(
      'news digest Ltd, 1 Example Street',
    );
    // A longer word that merely begins with the name is not the name.
    expect(contactLineOf('News', 'Newsroom Ltd, 1 High Street')).toBe('News · Newsroom Ltd, 1 High Street');
    expect(contactLineOf('', '1 Example Street')).toBe('1 Example Street');
  });

  it.each([
    ['the default address', NO_ARCHIVE],
    [
      'an address that starts with the sender name',
      { ...NO_ARCHIVE, postalAddress: 'News Digest, 1 Example Street' },
    ],
  ])('prints the sender name once with %s, in HTML and text', async (_name, config) => {
    const out = await rendered(digestOf(story('a')), config);
    for (const body of [out.htmlText, out.text]) {
      expect(body).toMatch(/News Digest(?: ·|,) 1 Example Street/);
      expect(body).not.toMatch(/News Digest[\s·,]+News Digest/);
      expect(body).toContain(config.senderAddress);
    }
  });
});

describe('wire production labels', () => {
  it('are a short closed list of capitalised labels', () => {
    expect(PRODUCTION_LABELS).toContain('STORY');
    expect(PRODUCTION_LABELS.length).toBeLessThanOrEqual(10);
    for (const label of PRODUCTION_LABELS) expect(label).toMatch(/^[A-Z]+$/);
  });

  it('are dropped from the start of a sentence and nothing else is', () => {
    expect(withoutProductionLabel('STORY: Talks began on Monday.')).toBe('Talks began on Monday.');
    expect(withoutProductionLabel('SHOWS: aerial views of Kyiv.')).toBe('Aerial views of Kyiv.');
    expect(withoutProductionLabel('WATCH:Crowds gather.')).toBe('Crowds gather.');
    // Not a production label: a real lead-in, mixed case, or the label inside the sentence.
    expect(withoutProductionLabel('NATO: allies meet today.')).toBe('NATO: allies meet today.');
    expect(withoutProductionLabel('Watch: a story unfolds.')).toBe('Watch: a story unfolds.');
    expect(withoutProductionLabel('The STORY: so far.')).toBe('The STORY: so far.');
    expect(withoutProductionLabel('STORYLINE: twists.')).toBe('STORYLINE: twists.');
  });

  it('leave the digest untouched and are gone from both the HTML and the text', async () => {
    const verbatim = 'STORY: Talks between Russian and Ukrainian officials began on Monday.';
    const digest = digestOf(story('a', { summary: [{ text: verbatim, articleId: 'a-a' }] }));
    const out = await rendered(digest);
    expect(digest.stories[0]?.summary[0]?.text).toBe(verbatim);
    for (const body of [out.htmlText, out.text]) {
      expect(body).toContain('Talks between Russian and Ukrainian officials began on Monday.');
      expect(body).not.toContain('STORY:');
    }
  });
});

describe('disagreements', () => {
  const twoArticles = story('d', {
    articles: [article('d-a', null), article('d-b', null)],
    summary: [
      { text: 'One.', articleId: 'd-a' },
      { text: 'Two.', articleId: 'd-b' },
    ],
  });

  it('say "Figures differ" when every figure comes from one article', async () => {
    const digest = digestOf({
      ...twoArticles,
      disagreements: [
        {
          quantity: 'russian deaths',
          figures: [figure('d-b', 4500, 'Russian troops killed'), figure('d-b', 500, 'deaths')],
        },
      ],
    });
    expect(buildBriefingView(digest, NO_ARCHIVE).stories[0]?.disagreements[0]?.label).toBe('Figures differ');
    const out = await rendered(digest);
    expect(out.htmlText).toContain('Figures differ · russian deaths');
    expect(out.text).toContain('Figures differ: russian deaths');
    for (const body of [out.htmlText, out.text]) expect(body).not.toContain('Sources differ');
  });

  it('say "Sources differ" when the figures come from different articles', async () => {
    const digest = digestOf({
      ...twoArticles,
      disagreements: [
        {
          quantity: 'russian deaths',
          figures: [figure('d-a', 4500, 'Russian troops killed'), figure('d-b', 500, 'deaths')],
        },
      ],
    });
    expect(buildBriefingView(digest, NO_ARCHIVE).stories[0]?.disagreements[0]?.label).toBe('Sources differ');
    const out = await rendered(digest);
    expect(out.htmlText).toContain('Sources differ · russian deaths');
    expect(out.text).toContain('Sources differ: russian deaths');
  });
});

describe('follow-up link', () => {
  const earlier = 'https://www.reuters.com/world/europe/talks-begin-2022-02-24/';
  const follower = (url?: string) =>
    story('f', {
      followUpTo: {
        storyId: 'st-earlier',
        day: '2022-02-24',
        headline: 'Talks begin',
        ...(url ? { url } : {}),
      },
    });

  it("links the earlier story's article when there is no archive", async () => {
    const digest = digestOf(follower(earlier));
    expect(buildBriefingView(digest, NO_ARCHIVE).stories[0]?.followUp?.url).toBe(earlier);
    const out = await rendered(digest);
    const link = [...out.document.querySelectorAll('a')].find((a) => a.textContent?.includes('Talks begin'));
    expect(link?.getAttribute('href')).toBe(earlier);
    expect(out.text).toContain(`Follow-up to "Talks begin", 24 Feb <${earlier}>`);
  });

  it('prefers the archive when there is one, and links nothing unsafe or absent', () => {
    const archived = buildBriefingView(digestOf(follower(earlier)), CONFIG).stories[0]?.followUp?.url;
    expect(archived).toBe('https://example.com/archive/2022-02-24.html#story-st-earlier');
    for (const url of [undefined, 'javascript:alert(1)', 'data:text/html,x']) {
      expect(buildBriefingView(digestOf(follower(url)), NO_ARCHIVE).stories[0]?.followUp?.url).toBeNull();
    }
  });
});

describe('coverage', () => {
  it('counts articles, not outlets, when no outlet is known (the seeds)', async () => {
    const unnamed = story('u', {
      articles: [article('u-1', null), article('u-2', null), article('u-3', null)],
      summary: [{ text: 'Unnamed.', articleId: 'u-1' }],
    });
    const view = buildBriefingView(digestOf(unnamed), NO_ARCHIVE).stories[0]!;
    expect(view.coverageLabel).toBe('3 articles');
    expect(view.coverageLine).toBe('Reported in 3 articles');
    expect(view.outletCount).toBe(0);
    expect(view.articleCount).toBe(3);
    expect(view.alsoReportedLabel).toBe('Also reported in 2 other articles');
    const out = await rendered(digestOf(unnamed));
    for (const body of [out.htmlText, out.text]) {
      expect(body).toContain('Reported in 3 articles');
      expect(body).not.toMatch(/\d+ outlets?/);
    }
  });

  it('counts known outlets (by name or web address) as outlets, and says so when some are unknown', () => {
    const known = story('k', {
      articles: [article('k-1', 'Reuters'), article('k-2', null, 'https://www.bbc.co.uk/news/1')],
    });
    expect(buildBriefingView(digestOf(known), NO_ARCHIVE).stories[0]?.coverageLine).toBe(
      'Reported by 2 outlets',
    );
    const mixed = story('m', { articles: [article('m-1', 'Reuters'), article('m-2', null)] });
    const view = buildBriefingView(digestOf(mixed), NO_ARCHIVE).stories[0]!;
    expect(view.coverageLine).toBe('Reported by 1 outlet and in 1 other article');
    expect(view.coverageLabel).toBe('1 outlet, 1 other article');
  });

  it('words the headline list the same way', async () => {
    const unnamed = (id: string) =>
      story(id, { articles: [article(`${id}-1`, null), article(`${id}-2`, null)] });
    // Most-covered first: the top story has three named outlets, so the unnamed one is listed.
    const top = story('top', {
      articles: [article('t-1', 'Reuters'), article('t-2', 'AP'), article('t-3', 'AFP')],
    });
    const config = { ...NO_ARCHIVE, maxFullStories: 1 };
    const view = buildBriefingView(digestOf(top, unnamed('x')), config);
    expect(view.moreStories[0]?.coverageLabel).toBe('2 articles');
    const out = await rendered(digestOf(top, unnamed('x')), config);
    expect(out.htmlText).toContain('Headline of x · 2 articles');
    expect(out.text).toContain('Headline of x (2 articles)');
  });
});
