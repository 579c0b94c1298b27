/**
 * The briefing in a real browser: Debian's headless Chromium renders it at 600 px (desktop
 * clients) and 375 px (phones). No horizontal overflow on the phone, every headline visible,
 * readable contrast, the unsubscribe link visible, no script runs for hostile input. Besides the
 * invented fixtures, the real seeds go through the CLI's digest pipeline and every email it writes is
 * checked the same way (issue 5: "the screenshots at both widths show a clean, readable layout").
 * Screenshots land in out/preview/.
 */

import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsArticleSource, FsDigestStore, listFilesOldestFirst } from '../../functions/adapters/fs-store.ts';
import { localBriefingConfig } from '../../functions/adapters/local-briefing-config.ts';
import { writeDayEmails } from '../../functions/adapters/local-email.ts';
import { mjmlRenderer, renderBriefing } from '../../functions/adapters/mjml-renderer.ts';
import { loadTemplates } from '../../functions/adapters/templates.ts';
import { ingestBatch } from '../../functions/app/ingest-batch.ts';
import { personalise } from '../../functions/core/render/personalise.ts';
import { signUnsubscribeToken, unsubscribeUrl } from '../../functions/core/render/unsubscribe-token.ts';
import type { Digest } from '../../functions/core/types.ts';
import {
  type BriefingBrowser,
  CHROMIUM_PATH,
  launchBriefingBrowser,
  PREVIEW_WIDTHS,
} from '../../functions/preview.ts';
import {
  busyDigest,
  CONFIG,
  hostileDigest,
  repoTemplates,
  seedsLikeDigest,
} from '../unit/render/fixtures.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const OUT = join(ROOT, 'out', 'preview');
const SEEDS = join(ROOT, 'seeds');
const hasChromium = existsSync(CHROMIUM_PATH);
if (!hasChromium) {
  console.warn(
    `SKIPPED browser tests: ${CHROMIUM_PATH} is missing (apt-get install -y chromium; CI installs it).`,
  );
}

/** WCAG AA for normal-size text. */
const MIN_CONTRAST = 4.5;

/**
 * The arrival time the seeds' run is given, as in `npm run digest -- --now ...`: fixed, so the days,
 * the digests and the emails (and so the screenshots) are the same on every run.
 */
const SEEDS_NOW = new Date('2022-03-11T08:00:00Z');

interface SeedBriefings {
  /** Every day with a digest that has stories: each must have exactly one email. */
  readonly daysWithStories: string[];
  /** email/<day>.html as the CLI writes it (personalised for SAMPLE_RECIPIENT), by day. */
  readonly emails: Record<string, string>;
}

/**
 * What `npm run digest -- --in seeds --out <tmp> --now SEEDS_NOW` writes, run in process: the same
 * ingestBatch and writeDayEmails calls as functions/cli.ts (five files is far below the worker pool's
 * threshold, so the CLI prepares them in process too), with the CLI's brand config and templates.
 */
async function produceSeedBriefings(): Promise<SeedBriefings> {
  const outputDir = mkdtempSync(join(tmpdir(), 'briefing-seeds-'));
  try {
    const files = await listFilesOldestFirst(SEEDS);
    const store = new FsDigestStore(outputDir);
    const requests = files.map((file) => ({ key: file.key, arrivedAt: SEEDS_NOW }));
    const report = await ingestBatch(requests, { source: new FsArticleSource(SEEDS), store });
    await writeDayEmails(store, outputDir, {
      changedDays: report.changedDays,
      config: await localBriefingConfig(),
      render: mjmlRenderer(await loadTemplates()),
      unsubscribeSecret: 'browser-test',
    });
    const daysWithStories = report.newsroom
      .days()
      .filter((day) => report.newsroom.digest(day).stories.length > 0);
    const emails: Record<string, string> = {};
    for (const name of (await readdir(join(outputDir, 'email'))).sort()) {
      const day = /^(\d{4}-\d{2}-\d{2})\.html$/.exec(name)?.[1];
      if (day) emails[day] = await readFile(join(outputDir, 'email', name), 'utf8');
    }
    return { daysWithStories, emails };
  } finally {
    rmSync(outputDir, { recursive: true, force: true });
  }
}

/**
 * Produced while the tests are collected, so that each email day gets its own test at each width.
 * About a second; skipped with the browser tests.
 */
const seedBriefings: SeedBriefings = hasChromium
  ? await produceSeedBriefings()
  : { daysWithStories: [], emails: {} };
const seedDays = Object.keys(seedBriefings.emails);

async function personalised(digest: Digest): Promise<string> {
  const rendered = await renderBriefing(digest, CONFIG, await repoTemplates());
  const email = 'reader@example.org';
  const url = unsubscribeUrl(
    CONFIG.unsubscribeBaseUrl,
    signUnsubscribeToken(email, { version: 1, secret: 'browser-test' }, new Date('2026-12-01T07:00:00Z')),
  );
  return personalise(rendered, { email, unsubscribeUrl: url }).html;
}

interface Layout {
  scrollWidth: number;
  headlines: { text: string; x: number; width: number; height: number; visible: boolean }[];
  lowContrast: { text: string; ratio: number }[];
  unsubscribeLinks: { x: number; width: number; height: number; visible: boolean }[];
  /** "Source N" attributions laid out over more than one line (the number orphaned on a phone). */
  splitSourceLabels: string[];
  dialogs: number;
}

describe.skipIf(!hasChromium)('briefing in headless Chromium', () => {
  let browser: BriefingBrowser;
  const cases: Record<string, Digest> = {
    seeds: seedsLikeDigest(),
    hostile: hostileDigest(),
    busy: busyDigest(200),
  };
  const html: Record<string, string> = {};
  for (const [day, email] of Object.entries(seedBriefings.emails)) html[`seeds-real-${day}`] = email;

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    for (const [name, digest] of Object.entries(cases)) html[name] = await personalised(digest);
    browser = await launchBriefingBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function layout(name: string, width: number, source = html[name] ?? ''): Promise<Layout> {
    const page = await browser.context.newPage();
    let dialogs = 0;
    page.on('dialog', (dialog) => {
      dialogs += 1;
      void dialog.dismiss();
    });
    try {
      await page.setViewportSize({ width, height: 900 });
      await page.setContent(source, { waitUntil: 'load' });
      if (name !== 'control') {
        await page.screenshot({ path: join(OUT, `briefing-${name}-${width}.png`), fullPage: true });
      }
      const measured = await page.evaluate((minContrast) => {
        const parse = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
        const luminance = ([r = 0, g = 0, b = 0]: number[]) => {
          const lin = (v: number) => {
            const s = v / 255;
            return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
          };
          return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
        };
        const background = (el: Element | null): number[] => {
          for (let e = el; e; e = e.parentElement) {
            const bg = parse(getComputedStyle(e).backgroundColor);
            if (bg.length >= 3 && (bg.length < 4 || (bg[3] ?? 1) > 0)) return bg;
          }
          return [255, 255, 255];
        };
        const lowContrast: { text: string; ratio: number }[] = [];
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const text = node.textContent?.trim() ?? '';
          const el = node.parentElement;
          if (!text || !el || el.closest('[style*="display:none"], [style*="display: none"]')) continue;
          const rect = el.getBoundingClientRect();
          if (rect.width === 0 || rect.height === 0) continue;
          const a = luminance(parse(getComputedStyle(el).color));
          const b = luminance(background(el));
          const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
          if (ratio < minContrast) lowContrast.push({ text: text.slice(0, 40), ratio });
        }
        const box = (el: Element) => {
          const r = el.getBoundingClientRect();
          const style = getComputedStyle(el);
          return {
            text: el.textContent?.trim() ?? '',
            x: r.x,
            width: r.width,
            height: r.height,
            visible: style.visibility !== 'hidden' && style.display !== 'none' && Number(style.opacity) > 0,
          };
        };
        const headlines = [...document.querySelectorAll('h2.headline, .more-headline')].map(box);
        const unsubscribeLinks = [...document.querySelectorAll('a[href*="unsubscribe"]')]
          .map(box)
          .filter((link) => /unsubscribe/i.test(link.text));
        const splitSourceLabels: string[] = [];
        const labels = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let node = labels.nextNode(); node; node = labels.nextNode()) {
          for (const match of (node.textContent ?? '').matchAll(/Source\s\d+/g)) {
            const range = document.createRange();
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            const lineTops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
            if (lineTops.size > 1) splitSourceLabels.push(match[0]);
          }
        }
        return {
          scrollWidth: document.documentElement.scrollWidth,
          headlines,
          lowContrast,
          unsubscribeLinks,
          splitSourceLabels,
        };
      }, MIN_CONTRAST);
      return { ...measured, dialogs };
    } finally {
      await page.close();
    }
  }

  const names = ['seeds', 'hostile', 'busy', ...seedDays.map((day) => `seeds-real-${day}`)];
  for (const name of names) {
    for (const width of PREVIEW_WIDTHS) {
      it(`${name} at ${width}px: no horizontal overflow, every headline and the unsubscribe link visible, readable contrast, "Source N" on one line`, async () => {
        const result = await layout(name, width);
        expect(result.scrollWidth).toBeLessThanOrEqual(width);
        expect(result.unsubscribeLinks).toHaveLength(1);
        for (const link of result.unsubscribeLinks) {
          expect(link.visible).toBe(true);
          expect(link.width).toBeGreaterThan(0);
          expect(link.height).toBeGreaterThan(0);
          expect(link.x).toBeGreaterThanOrEqual(0);
          expect(link.x + link.width).toBeLessThanOrEqual(width);
        }
        expect(result.headlines.length).toBeGreaterThan(0);
        for (const h of result.headlines) {
          expect(h.visible, h.text).toBe(true);
          expect(h.width, h.text).toBeGreaterThan(0);
          expect(h.height, h.text).toBeGreaterThan(0);
          expect(h.x, h.text).toBeGreaterThanOrEqual(0);
          expect(h.x + h.width, h.text).toBeLessThanOrEqual(width);
        }
        expect(result.lowContrast).toEqual([]);
        expect(result.splitSourceLabels).toEqual([]);
        expect(result.dialogs).toBe(0);
      });
    }
  }

  it('shows every story of the seeds-like day as a full headline, most-covered first', async () => {
    const result = await layout('seeds', 375);
    expect(result.headlines.map((h) => h.text)).toEqual([
      'Russia and Ukraine start ceasefire talks on the Belarusian border',
      "Rouble hits record low as Russia's central bank doubles interest rates",
      'More than 500,000 refugees have fled Ukraine, U.N. says',
    ]);
  });

  it('the seeds give one email per digest day with stories', () => {
    expect(seedBriefings.daysWithStories.length).toBeGreaterThan(0);
    expect(seedDays).toEqual(seedBriefings.daysWithStories);
  });

  it('lists the busy day beyond the full stories as headlines', async () => {
    const result = await layout('busy', 375);
    expect(result.headlines.length).toBeGreaterThan(CONFIG.maxFullStories);
  });

  it('runs no script from hostile input', async () => {
    const result = await layout('hostile', 600);
    expect(result.dialogs).toBe(0);
    expect(result.headlines[0]?.text).toContain('<script>alert(1)</script> Breaking');
  });

  it('the checks catch a layout that overflows, hides a headline or the unsubscribe link, has faint text or splits "Source N" (control)', async () => {
    const bad =
      '<html><body style="margin:0;background:#fff">' +
      '<h2 class="headline" style="width:700px">Too wide</h2>' +
      '<h2 class="headline" style="display:none">Hidden</h2>' +
      '<p style="color:#bbbbbb">Faint grey text</p>' +
      '<a href="https://example.com/unsubscribe?t=1" style="visibility:hidden">Unsubscribe</a>' +
      '<p style="width:60px">Quoted. &mdash; Source 12</p>' +
      '</body></html>';
    const result = await layout('control', 375, bad);
    expect(result.scrollWidth).toBeGreaterThan(375);
    expect(result.headlines.map((h) => [h.text, h.visible, h.width > 0])).toEqual([
      ['Too wide', true, true],
      ['Hidden', false, false],
    ]);
    expect(result.lowContrast.map((l) => l.text)).toEqual(['Faint grey text']);
    expect(result.unsubscribeLinks.map((l) => l.visible)).toEqual([false]);
    expect(result.splitSourceLabels).toEqual(['Source 12']);
  });
});
