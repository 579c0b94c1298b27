import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { HTML_BUDGET_BYTES, renderBriefing } from '../../../functions/adapters/mjml-renderer.ts';
import { personalise } from '../../../functions/core/render/personalise.ts';
import { signUnsubscribeToken, unsubscribeUrl } from '../../../functions/core/render/unsubscribe-token.ts';
import { busyDigest, CONFIG, repoTemplates, seedsLikeDigest } from './fixtures.ts';

/** Gmail clips messages whose HTML is larger than this. */
const GMAIL_CLIP_BYTES = 102 * 1024;

function forSubscriber(html: string, text: string) {
  const email = `${'long.subscriber.address'.repeat(4)}@example.org`;
  const url = unsubscribeUrl(
    CONFIG.unsubscribeBaseUrl,
    signUnsubscribeToken(email, { version: 1, secret: 'secret' }, new Date('2026-12-01T07:00:00Z')),
  );
  return personalise({ subject: '', preheader: '', html, text }, { email, unsubscribeUrl: url });
}

describe('size budget', () => {
  it('the seeds-like briefing is far below the Gmail clip', async () => {
    const rendered = await renderBriefing(seedsLikeDigest(), CONFIG, await repoTemplates());
    const { html } = forSubscriber(rendered.html, rendered.text);
    expect(Buffer.byteLength(html)).toBeLessThan(GMAIL_CLIP_BYTES / 2);
  });

  it('a 200-story day shows the top stories in full, lists the rest and stays under 102 KB', async () => {
    const digest = busyDigest(200);
    const rendered = await renderBriefing(digest, CONFIG, await repoTemplates());
    const { html, text } = forSubscriber(rendered.html, rendered.text);
    expect(Buffer.byteLength(html)).toBeLessThan(GMAIL_CLIP_BYTES);
    expect(Buffer.byteLength(rendered.html)).toBeLessThanOrEqual(HTML_BUDGET_BYTES);

    const { document } = parseHTML(html);
    const full = [...document.querySelectorAll('h2.headline')].map((h) => h.textContent?.trim());
    expect(full.length).toBeGreaterThanOrEqual(1);
    expect(full.length).toBeLessThanOrEqual(CONFIG.maxFullStories);
    // Most-covered first: the five 4-outlet stories lead.
    expect(full.slice(0, 5)).toEqual([0, 1, 2, 3, 4].map((s) => digest.stories[s]?.headline));

    const body = document.body.textContent ?? '';
    expect(body).toContain('More stories');
    const listed = digest.stories.filter(
      (s) => !full.includes(s.headline) && body.includes(s.headline),
    ).length;
    const unlisted = Number(/… and (\d+) more stor/.exec(body)?.[1] ?? 0);
    expect(listed).toBeGreaterThan(0);
    expect(full.length + listed + unlisted).toBe(200);
    // The plain text tells the same story count.
    expect(text).toContain('200 stories');
  });

  it('honours maxFullStories from the config', async () => {
    const rendered = await renderBriefing(
      busyDigest(10),
      { ...CONFIG, maxFullStories: 3 },
      await repoTemplates(),
    );
    const { document } = parseHTML(rendered.html);
    expect(document.querySelectorAll('h2.headline')).toHaveLength(3);
    expect(document.body.textContent).toContain('More stories');
  });
});
