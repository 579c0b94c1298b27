import { describe, expect, it } from 'vitest';
import { renderBriefing } from '../../../functions/adapters/mjml-renderer.ts';
import { formatLongDay, formatShortDay } from '../../../functions/core/render/dates.ts';
import { buildBriefingView, MAX_SUBJECT_CHARS, orderStories } from '../../../functions/core/render/view.ts';
import type { DigestStory } from '../../../functions/core/types.ts';
import { CONFIG, repoTemplates, seedsLikeDigest } from './fixtures.ts';

function story(id: string, outlets: string[], extra: Partial<DigestStory> = {}): DigestStory {
  return {
    id,
    headline: `Headline ${id}`,
    summary: [{ text: `Sentence of ${id}.`, articleId: `${id}-0` }],
    articles: outlets.map((outlet, i) => ({
      id: `${id}-${i}`,
      source: `${id}/${i}.txt`,
      title: null,
      outlet,
      url: null,
      publishedAt: '2022-02-28',
      dateSource: 'metadata' as const,
    })),
    duplicates: [],
    ...extra,
  };
}

describe('dates', () => {
  it('formats the briefing date and follow-up days', () => {
    expect(formatLongDay('2022-02-28')).toBe('Monday 28 February 2022');
    expect(formatShortDay('2022-02-28', '2022-03-04')).toBe('28 Feb');
    expect(formatShortDay('2021-12-31', '2022-01-02')).toBe('31 Dec 2021');
    expect(formatLongDay('not-a-day')).toBe('not-a-day');
  });
});

describe('buildBriefingView', () => {
  it('orders stories most-covered first, keeping the digest order on ties', () => {
    const ordered = orderStories([
      story('a', ['X']),
      story('b', ['X', 'Y', 'Z']),
      story('c', ['X', 'Y']),
      story('d', ['Q', 'R']),
    ]);
    expect(ordered.map((s) => s.id)).toEqual(['b', 'c', 'd', 'a']);
  });

  it('counts an outlet once however many of its articles a story has', () => {
    const view = buildBriefingView(
      { schemaVersion: 1, date: '2022-02-28', stories: [story('a', ['Reuters', 'reuters', 'AP'])] },
      CONFIG,
    );
    expect(view.stories[0]?.coverageLabel).toBe('2 outlets');
  });

  it('names unknown outlets by host, else "Source N", never by file name', () => {
    const s = story('a', ['', '']);
    const withUrl = {
      ...s,
      articles: [
        { ...s.articles[0]!, outlet: null, url: 'https://www.bbc.co.uk/news/1' },
        { ...s.articles[1]!, outlet: null },
      ],
      summary: [
        { text: 'One.', articleId: 'a-0' },
        { text: 'Two.', articleId: 'a-1' },
      ],
    };
    const view = buildBriefingView({ schemaVersion: 1, date: '2022-02-28', stories: [withUrl] }, CONFIG);
    // Joined by a no-break space, so the number never wraps away from "Source" on a phone.
    expect(view.stories[0]?.summary.map((x) => x.source.name)).toEqual(['bbc.co.uk', 'Source\u00a02']);
    expect(JSON.stringify(view)).not.toContain('.txt');
  });

  it('builds subject, preheader, follow-up and "also reported" from the seeds-like day', () => {
    const view = buildBriefingView(seedsLikeDigest(), CONFIG);
    expect(view.subject).toBe(
      'News Digest: Russia and Ukraine start ceasefire talks on the Belarusian border',
    );
    expect(view.preheader).toBe(
      "Russia and Ukraine start ceasefire talks on the Belarusian border · 3 stories in today's briefing",
    );
    expect(view.dateLabel).toBe('Monday 28 February 2022');
    const talks = view.stories[0]!;
    expect(talks.followUp).toEqual({
      headline: 'Russia launches full-scale invasion of Ukraine',
      dayLabel: '24 Feb',
      url: 'https://example.com/archive/2022-02-24.html#story-st-invasion',
    });
    expect(talks.alsoReported.map((o) => o.name)).toEqual(['Yahoo News', 'The Straits Times']);
    expect(talks.alsoReported[1]?.url).toBeNull();
    expect(talks.disagreements[0]?.figures.map((f) => `${f.display} ${f.source.name}`)).toEqual([
      '4,500 Axios',
      '5,300 Reuters',
    ]);
  });

  it('keeps long subjects within the limit, cut at a word', () => {
    const long = story('a', ['X'], { headline: 'word '.repeat(60) });
    const view = buildBriefingView({ schemaVersion: 1, date: '2022-02-28', stories: [long] }, CONFIG);
    expect(Array.from(view.subject).length).toBeLessThanOrEqual(MAX_SUBJECT_CHARS);
    expect(view.subject).toMatch(/word…$/);
  });

  it('renders an empty day as a short note rather than failing', async () => {
    const rendered = await renderBriefing(
      { schemaVersion: 1, date: '2022-03-01', stories: [] },
      CONFIG,
      await repoTemplates(),
    );
    expect(rendered.subject).toBe('News Digest: no new stories for 1 Mar');
    expect(rendered.html).toContain('No new stories today.');
    expect(rendered.text).toContain('No new stories today.');
  });
});
