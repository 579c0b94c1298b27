/**
 * A follow-up links to the story it continues even without an archive: the engine carries a URL of
 * the earlier story's articles in `followUpTo.url`, and the briefing links it. Digests whose earlier
 * story has no URL (the seeds) keep the field out, so they read exactly as before.
 */
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { renderBriefing } from '../../../functions/adapters/mjml-renderer.ts';
import { DEFAULT_BRIEFING_CONFIG } from '../../../functions/core/render/config.ts';
import { followUpLink } from '../../../functions/core/stories/follow-ups.ts';
import { StoryEngine } from '../../../functions/core/stories/story-engine.ts';
import type { DigestStory } from '../../../functions/core/types.ts';
import { loadSeeds } from '../stories/seed-loader.ts';
import { repoTemplates } from './fixtures.ts';

const ARRIVED = new Date('2026-01-15T10:00:00Z');
const URLS: Record<string, string> = {
  '000': 'https://www.reuters.com/world/europe/russia-ukraine-ceasefire-talks-2022-02-28/',
  '001': 'https://www.thesun.co.uk/news/17812345/russia-ukraine-peace-talks-belarus/',
  '002': 'https://www.axios.com/2022/02/28/ukraine-russia-talks-belarus',
};

function roomWith(urls: Record<string, string | undefined>): StoryEngine {
  const room = StoryEngine.empty();
  for (const seed of loadSeeds()) {
    const url = urls[seed.number] ?? null;
    room.ingest({ source: seed.source, article: { ...seed.article, url }, arrivedAt: ARRIVED });
  }
  return room;
}

function followerOn(room: StoryEngine, day: string): DigestStory {
  const story = room.digest(day).stories[0];
  if (!story?.followUpTo) throw new Error(`no follow-up on ${day}`);
  return story;
}

describe('followUpLink', () => {
  it('keeps the first safe URL, and leaves the field out when there is none', () => {
    expect(
      followUpLink('s', '2022-02-28', 'H', [null, 'javascript:alert(1)', 'https://a.example/x']),
    ).toEqual({
      storyId: 's',
      day: '2022-02-28',
      headline: 'H',
      url: 'https://a.example/x',
    });
    const without = followUpLink('s', '2022-02-28', 'H', [null, undefined, 'ftp://a.example/x']);
    expect(without).toEqual({ storyId: 's', day: '2022-02-28', headline: 'H' });
    expect('url' in without).toBe(false);
  });
});

describe('follow-up URL from the engine', () => {
  it("carries a URL of the earlier story's articles and the briefing links it without an archive", async () => {
    const room = roomWith(URLS);
    const talks = room.digest('2022-02-28').stories[0]!;
    const follower = followerOn(room, '2022-03-04');
    expect(follower.followUpTo?.storyId).toBe(talks.id);
    expect(Object.values(URLS)).toContain(follower.followUpTo?.url);
    // The URL of the article the earlier story's summary leads with.
    const lead = talks.articles.find((a) => a.id === talks.summary[0]?.articleId);
    expect(follower.followUpTo?.url).toBe(lead?.url);

    const digest = room.digest('2022-03-04');
    const rendered = await renderBriefing(
      digest,
      { ...DEFAULT_BRIEFING_CONFIG, archiveBaseUrl: null },
      await repoTemplates(),
    );
    const url = follower.followUpTo?.url ?? '';
    const { document } = parseHTML(rendered.html);
    const link = [...document.querySelectorAll('a')].find((a) => a.textContent?.includes(talks.headline));
    expect(link?.getAttribute('href')).toBe(url);
    expect(rendered.text).toContain(`<${url}>`);
  });

  it('leaves the URL out of the digest JSON when no article of the earlier story has one', () => {
    const follower = followerOn(roomWith({}), '2022-03-04');
    expect(follower.followUpTo).toBeDefined();
    expect(JSON.stringify(follower.followUpTo)).not.toContain('"url"');
  });
});
