/** Sources a reader can identify (issue 20): every "Source N" is named by its own title under its story. */
import { describe, expect, it } from 'vitest';
import { renderBriefing } from '../../../functions/adapters/mjml-renderer.ts';
import { sourceListOf } from '../../../functions/core/render/outlets.ts';
import type { Digest, DigestStory } from '../../../functions/core/types.ts';
import { CONFIG, repoTemplates, seedsLikeDigest } from './fixtures.ts';

const NBSP = '\u00a0';

function unnamedStory(): DigestStory {
  const story = seedsLikeDigest().stories[0]!;
  const articles = story.articles.map((a, i) => ({
    ...a,
    outlet: i === 0 ? 'Reuters' : null,
    url: null,
    title: i === 1 ? 'Ukraine-Russia peace talks: what we know' : a.title,
  }));
  return {
    ...story,
    articles,
    duplicates: [{ source: 'copy.txt', duplicateOf: articles[1]!.source, similarity: 0.97 }],
    summary: story.summary.map((s) => ({ ...s, articleId: articles[1]!.id, outlet: null })),
  };
}

describe('sourceListOf', () => {
  it('names each unnamed source by its title, a copy by the article it copies, and leaves named outlets out', () => {
    const story = unnamedStory();
    const list = sourceListOf(story);
    expect(list[0]).toEqual({ label: `Source${NBSP}2`, title: 'Ukraine-Russia peace talks: what we know' });
    expect(list.map((e) => e.label)).not.toContain(`Source${NBSP}1`);
    expect(list.at(-1)).toEqual({
      label: `Source${NBSP}${story.articles.length + 1}`,
      title: 'Ukraine-Russia peace talks: what we know (a copy)',
    });
  });

  it('is empty when every source has an outlet or a web address', () => {
    const story = seedsLikeDigest().stories[0]!;
    const named = {
      ...story,
      articles: story.articles.map((a) => ({ ...a, outlet: 'Reuters' })),
      duplicates: [],
    };
    expect(sourceListOf(named)).toEqual([]);
  });
});

describe('the briefing', () => {
  it('shows "Source 2: <title>" under the story in the email and its plain text', async () => {
    const digest: Digest = { ...seedsLikeDigest(), stories: [unnamedStory()] };
    const { html, text } = await renderBriefing(digest, CONFIG, await repoTemplates());
    expect(html.replace(/&nbsp;|\u00a0/g, ' ')).toContain(
      'Source 2: <cite>Ukraine-Russia peace talks: what we know</cite>',
    );
    expect(text.replace(/\u00a0/g, ' ')).toContain('Source 2: Ukraine-Russia peace talks: what we know');
  });
});
