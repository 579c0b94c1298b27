/**
 * The weekly roll-up on a fixed week of the eval corpus: tests/fixtures/weekly/ holds the daily digests
 * of 23 December 2017 – 1 January 2018 as `npm run digest` made them from ../shared/eval/clustering
 * (committed, so this test needs no eval data). The Monday 1 January 2018 edition covers 25–31 December:
 * its stories, their order (distinct outlets, then articles) and threads are the golden file
 * tests/fixtures/weekly/golden-2018-01-01.json. Set UPDATE_GOLDEN=1 to rewrite it after a deliberate change.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderBriefing } from '../../functions/adapters/mjml-renderer.ts';
import { composeMessage } from '../../functions/app/compose.ts';
import type { Digest } from '../../functions/core/types.ts';
import { WEEKLY_TOP_STORIES, weeklyRollup } from '../../functions/core/weekly.ts';
import { CONFIG, repoTemplates } from './render/fixtures.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/weekly');
const GOLDEN = join(FIXTURES, 'golden-2018-01-01.json');
const digests: Digest[] = readdirSync(FIXTURES)
  .filter((name) => /^\d{4}-\d{2}-\d{2}\.json$/.test(name))
  .sort()
  .map((name) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as Digest);

function summaryOf(weekly: Digest) {
  return weekly.stories.map((story) => ({
    id: story.id,
    headline: story.headline,
    outlets: story.outlets?.length ?? 0,
    articles: story.articles.length + story.duplicates.length,
    summaryFrom: story.articles.find((a) => a.id === story.summary[0]?.articleId)?.publishedAt ?? null,
    thread: story.followUpTo ? { day: story.followUpTo.day, headline: story.followUpTo.headline } : null,
  }));
}

describe('weekly roll-up of 25–31 December 2017', () => {
  const weekly = weeklyRollup('2018-01-01', digests);

  it('matches the golden list: top stories of the week ranked by outlets, then articles', () => {
    const actual = summaryOf(weekly);
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(GOLDEN)) {
      writeFileSync(GOLDEN, `${JSON.stringify(actual, null, 2)}\n`);
    }
    expect(actual).toEqual(JSON.parse(readFileSync(GOLDEN, 'utf8')));
  });

  it('takes stories only from the seven days before the Monday, at most the top ten', () => {
    const inWeek = new Set(
      digests
        .filter((d) => d.date >= '2017-12-25' && d.date <= '2017-12-31')
        .flatMap((d) => d.stories.map((s) => s.id)),
    );
    expect(weekly.week).toEqual({ from: '2017-12-25', to: '2017-12-31' });
    expect(weekly.stories.length).toBe(WEEKLY_TOP_STORIES);
    for (const story of weekly.stories) expect(inWeek.has(story.id), story.id).toBe(true);
    const coverage = weekly.stories.map((s) => [
      s.outlets?.length ?? 0,
      s.articles.length + s.duplicates.length,
    ]);
    const sorted = [...coverage].sort((a, b) => (b[0] ?? 0) - (a[0] ?? 0) || (b[1] ?? 0) - (a[1] ?? 0));
    expect(coverage).toEqual(sorted);
  });

  it('renders in the same design with a week header and a weekly Feedback-ID', async () => {
    const rendered = await renderBriefing(weekly, CONFIG, await repoTemplates());
    const message = composeMessage(rendered, weekly, CONFIG, 'reader@example.org', 'secret', 'weekly');
    expect(message.html).toContain('The week of 25–31 December 2017');
    expect(message.text).toContain('The week of 25–31 December 2017');
    expect(rendered.subject).toMatch(/^News Digest weekly: /);
    expect(message.raw).toContain('Feedback-ID: 2018-01-01:weekly:briefing:example.com');
    expect(message.text).toMatch(/News Digest weekly\s+briefing/);
  });
});
