/**
 * The archive's feeds read by a real feed parser (feedsmith), not by regexes: every entry has an id, a
 * title, a link and a date; ids stay the same across a re-run (which changes no byte); a changed day
 * moves its entry's `updated` and leaves the other entries alone.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAtomFeed, parseJsonFeed } from 'feedsmith';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsSiteStore } from '../../../functions/adapters/fs-site-store.ts';
import { FsDigestStore } from '../../../functions/adapters/fs-store.ts';
import { publishSite } from '../../../functions/app/publish-site.ts';
import type { Digest } from '../../../functions/core/types.ts';
import { buildSeedSite, SEEDS_NOW, seedSiteConfig } from '../../support/seed-site.ts';

let out: string;
let days: string[];

const read = (name: string) => readFileSync(join(out, 'site', name), 'utf8');

function entries() {
  const atom = parseAtomFeed(read('feed.xml'));
  const json = parseJsonFeed(read('feed.json'));
  return {
    atom: (atom.entries ?? []).map((e) => ({
      id: e.id,
      title: typeof e.title === 'string' ? e.title : e.title?.value,
      link: e.links?.find((l) => l.rel === 'alternate')?.href,
      updated: e.updated,
    })),
    json: (json.items ?? []).map((i) => ({
      id: i.id,
      title: i.title,
      link: i.url,
      updated: i.date_modified,
    })),
  };
}

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'site-feeds-'));
  days = await buildSeedSite(out);
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the archive feeds', () => {
  it('carry one entry per day with stories, newest first, each with an id, a title, a link and a date', () => {
    const { atom, json } = entries();
    const expected = [...days].sort().reverse();
    for (const list of [atom, json]) {
      expect(list.map((e) => e.link)).toEqual(expected.map((d) => `http://localhost:8787/${d}.html`));
      for (const entry of list) {
        expect(entry.id).toBeTruthy();
        expect(entry.title).toMatch(/\d{4}/);
        expect(Number.isNaN(Date.parse(entry.updated ?? ''))).toBe(false);
      }
    }
    expect(json.map((e) => e.id)).toEqual(atom.map((e) => e.id));
    const feed = parseJsonFeed(read('feed.json'));
    expect(feed.items?.[0]?.content_html).toContain('class="story"');
  });

  it('keep every id and every byte when the same digests are published again', async () => {
    const before = { xml: read('feed.xml'), json: read('feed.json'), ids: entries().atom.map((e) => e.id) };
    const later = new Date(SEEDS_NOW.getTime() + 86_400_000);
    await publishSite(
      { digests: new FsDigestStore(out), site: new FsSiteStore(out), config: await seedSiteConfig() },
      { changedDays: days, now: later, all: true },
    );
    expect(entries().atom.map((e) => e.id)).toEqual(before.ids);
    expect(read('feed.xml')).toBe(before.xml);
    expect(read('feed.json')).toBe(before.json);
  });

  it('move only the changed day’s updated date, and show its new content', async () => {
    const day = [...days].sort()[0] ?? '';
    const path = join(out, 'digests', `${day}.json`);
    const digest = JSON.parse(readFileSync(path, 'utf8')) as Digest;
    const story = digest.stories[0];
    if (!story) throw new Error('the seeds day has no story');
    const changed: Digest = {
      ...digest,
      stories: [{ ...story, headline: 'A corrected headline for the day' }],
    };
    writeFileSync(path, JSON.stringify(changed));
    const before = entries();
    const later = new Date('2022-03-12T09:30:00Z');
    await publishSite(
      { digests: new FsDigestStore(out), site: new FsSiteStore(out), config: await seedSiteConfig() },
      { changedDays: [day], now: later },
    );
    const after = entries();
    for (const list of ['atom', 'json'] as const) {
      expect(after[list].map((e) => e.id)).toEqual(before[list].map((e) => e.id));
      for (const entry of after[list]) {
        const old = before[list].find((e) => e.id === entry.id);
        if (entry.link?.endsWith(`${day}.html`)) {
          expect(Date.parse(entry.updated ?? '')).toBe(later.getTime());
          expect(entry.title).toContain('A corrected headline for the day');
        } else {
          expect(entry.updated).toBe(old?.updated);
        }
      }
    }
    expect(read(`${day}.html`)).toContain('A corrected headline for the day');
    expect(parseAtomFeed(read('feed.xml')).updated).toBe(later.toISOString());
  });
});
