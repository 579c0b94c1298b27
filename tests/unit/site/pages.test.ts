/**
 * The archive pages: hostile article text stays text (as in the email), story anchors are stable and
 * threads link across days both ways, nothing per reader appears, and a digest that cannot be rendered
 * costs only its own page, whose previous version stays.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsSiteStore } from '../../../functions/adapters/fs-site-store.ts';
import { FsDigestStore } from '../../../functions/adapters/fs-store.ts';
import { publishSite } from '../../../functions/app/publish-site.ts';
import { EMPTY_MANIFEST, recordDigests } from '../../../functions/core/site/manifest.ts';
import { dayPageFile, type SiteConfig } from '../../../functions/core/site/site.ts';
import { storyAnchor } from '../../../functions/core/site/stories-html.ts';
import type { Digest } from '../../../functions/core/types.ts';
import { buildSeedSite, SEEDS_NOW, seedSiteConfig } from '../../support/seed-site.ts';
import { CONFIG, HOSTILE, hostileDigest } from '../render/fixtures.ts';

const SITE: SiteConfig = {
  briefing: CONFIG,
  baseUrl: 'https://news.example',
  signupAction: 'https://signup.example/',
};

describe('a day page of hostile article text', () => {
  const digest = hostileDigest();
  const html = dayPageFile(SITE, recordDigests(EMPTY_MANIFEST, [digest], SEEDS_NOW), digest).body;
  const { document } = parseHTML(html);

  it('has no element, attribute or link that the article text tried to create', () => {
    expect(document.querySelectorAll('script, img, svg, iframe, object, embed, mj-raw').length).toBe(0);
    for (const el of document.querySelectorAll('*')) {
      for (const attr of el.attributes) expect(attr.name).not.toMatch(/^on/i);
    }
    for (const a of document.querySelectorAll('a[href]')) {
      expect(a.getAttribute('href') ?? '').toMatch(/^(https?:\/\/|[\w-]+\.html|#|index\.html|feed\.)/);
      expect(a.getAttribute('href') ?? '').not.toMatch(/^\s*(javascript|data|vbscript):/i);
    }
  });

  it('shows the hostile text as text', () => {
    const text = document.body.textContent ?? '';
    expect(text).toContain(HOSTILE.script);
    expect(text).toContain(HOSTILE.breakout.trim());
    expect(html).not.toContain('%%ND_');
  });
});

describe('the seeds’ site', () => {
  let out: string;
  let days: string[];
  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'site-pages-'));
    days = await buildSeedSite(out);
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));
  const page = (name: string) => parseHTML(readFileSync(join(out, 'site', name), 'utf8')).document;
  const digest = (day: string) =>
    JSON.parse(readFileSync(join(out, 'digests', `${day}.json`), 'utf8')) as Digest;

  it('gives each story an anchor made from its id, and links follow-ups both ways across days', () => {
    let threads = 0;
    for (const day of days) {
      for (const story of digest(day).stories) {
        const article = page(`${day}.html`).getElementById(storyAnchor(story.id));
        expect(article?.tagName).toBe('ARTICLE');
        const earlier = story.followUpTo;
        if (!earlier) continue;
        threads += 1;
        const back = `${earlier.day}.html#${storyAnchor(earlier.storyId)}`;
        expect(article?.querySelector(`a[href="${back}"]`)).not.toBeNull();
        const target = page(`${earlier.day}.html`).getElementById(storyAnchor(earlier.storyId));
        expect(target?.querySelector(`a[href="${day}.html#${storyAnchor(story.id)}"]`)).not.toBeNull();
      }
    }
    expect(threads).toBeGreaterThan(0);
  });

  it('lists the past days newest first on the index, with the sign-up form and its honeypot', () => {
    const index = page('index.html');
    const listed = [...index.querySelectorAll('.days a')].map((a) => a.getAttribute('href'));
    expect(listed).toEqual(
      [...days]
        .sort()
        .reverse()
        .map((d) => `${d}.html`),
    );
    const form = index.querySelector('form[method="post"]');
    expect(form?.getAttribute('action')).toBe('/signup');
    expect(form?.querySelector('input[name="email"][type="email"]')).not.toBeNull();
    expect(form?.querySelector('.hp input[name="website"]')).not.toBeNull();
    expect(index.querySelectorAll('script').length).toBe(0);
  });

  it('keeps the previous page of a day whose digest cannot be rendered, says so, and publishes the rest', async () => {
    const [broken, other] = [...days].sort();
    if (!broken || !other) throw new Error('the seeds need two days');
    const before = readFileSync(join(out, 'site', `${broken}.html`), 'utf8');
    writeFileSync(
      join(out, 'digests', `${broken}.json`),
      JSON.stringify({ schemaVersion: 1, date: broken, stories: [{ id: 'x' }] }),
    );
    const failures: string[] = [];
    const report = await publishSite(
      {
        digests: new FsDigestStore(out),
        site: new FsSiteStore(out),
        config: await seedSiteConfig(),
        onRenderFailed: (day, error) => failures.push(`${day}: ${error.message}`),
      },
      { changedDays: [broken, other], now: new Date('2022-03-12T00:00:00Z') },
    );
    expect(report.failedDays).toEqual([broken]);
    expect(failures).toHaveLength(1);
    expect(readFileSync(join(out, 'site', `${broken}.html`), 'utf8')).toBe(before);
    expect(report.written).toContain(`${other}.html`);
    expect(readdirSync(join(out, 'site')).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});

describe('the archive list', () => {
  it('pages past days newest first, 30 to a page, with links between the pages', async () => {
    const { sharedFiles } = await import('../../../functions/core/site/site.ts');
    const digests: Digest[] = Array.from({ length: 35 }, (_, i) => {
      const day = new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10);
      return { ...hostileDigest(), date: day };
    });
    const manifest = recordDigests(EMPTY_MANIFEST, digests, SEEDS_NOW);
    const days = digests.map((d) => d.date).reverse();
    const files = sharedFiles(SITE, manifest, days, digests.at(-1) ?? null, []);
    const index = parseHTML(files.find((f) => f.path === 'index.html')?.body ?? '').document;
    const second = parseHTML(files.find((f) => f.path === 'page-2.html')?.body ?? '').document;
    const listed = (doc: typeof index) =>
      [...doc.querySelectorAll('.days a')].map((a) => a.getAttribute('href'));
    expect(listed(index)).toEqual(days.slice(0, 30).map((d) => `${d}.html`));
    expect(listed(second)).toEqual(days.slice(30).map((d) => `${d}.html`));
    expect(index.querySelector('a[rel="next"]')?.getAttribute('href')).toBe('page-2.html#archive');
    expect(second.querySelector('a[rel="prev"]')?.getAttribute('href')).toBe('index.html#archive');
    expect(files.some((f) => f.path === 'page-3.html')).toBe(false);
  });
});
