/**
 * The briefing in a real browser: Debian's headless Chromium renders it at 600 px (desktop
 * clients) and 375 px (phones). No horizontal overflow on the phone, every headline visible,
 * readable contrast, no script runs for hostile input. Screenshots land in out/preview/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderBriefing } from '../../functions/adapters/mjml-renderer.ts';
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

const OUT = join(import.meta.dirname, '..', '..', 'out', 'preview');
const hasChromium = existsSync(CHROMIUM_PATH);
if (!hasChromium) {
  console.warn(
    `SKIPPED browser tests: ${CHROMIUM_PATH} is missing (apt-get install -y chromium; CI installs it).`,
  );
}

/** WCAG AA for normal-size text. */
const MIN_CONTRAST = 4.5;

async function personalised(digest: Digest): Promise<string> {
  const rendered = await renderBriefing(digest, CONFIG, await repoTemplates());
  const email = 'reader@example.org';
  const url = unsubscribeUrl(CONFIG.unsubscribeBaseUrl, signUnsubscribeToken(email, 'browser-test'));
  return personalise(rendered, { email, unsubscribeUrl: url }).html;
}

interface Layout {
  scrollWidth: number;
  headlines: { text: string; x: number; width: number; height: number; visible: boolean }[];
  lowContrast: { text: string; ratio: number }[];
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
        const headlines = [...document.querySelectorAll('h2.headline, .more-headline')].map((h) => {
          const r = h.getBoundingClientRect();
          const style = getComputedStyle(h);
          return {
            text: h.textContent?.trim() ?? '',
            x: r.x,
            width: r.width,
            height: r.height,
            visible: style.visibility !== 'hidden' && style.display !== 'none' && Number(style.opacity) > 0,
          };
        });
        return { scrollWidth: document.documentElement.scrollWidth, headlines, lowContrast };
      }, MIN_CONTRAST);
      return { ...measured, dialogs };
    } finally {
      await page.close();
    }
  }

  for (const name of ['seeds', 'hostile', 'busy']) {
    for (const width of PREVIEW_WIDTHS) {
      it(`${name} at ${width}px: no horizontal overflow, every headline visible, readable contrast`, async () => {
        const result = await layout(name, width);
        expect(result.scrollWidth).toBeLessThanOrEqual(width);
        expect(result.headlines.length).toBeGreaterThan(0);
        for (const h of result.headlines) {
          expect(h.visible, h.text).toBe(true);
          expect(h.width, h.text).toBeGreaterThan(0);
          expect(h.height, h.text).toBeGreaterThan(0);
          expect(h.x, h.text).toBeGreaterThanOrEqual(0);
          expect(h.x + h.width, h.text).toBeLessThanOrEqual(width);
        }
        expect(result.lowContrast).toEqual([]);
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

  it('lists the busy day beyond the full stories as headlines', async () => {
    const result = await layout('busy', 375);
    expect(result.headlines.length).toBeGreaterThan(CONFIG.maxFullStories);
  });

  it('runs no script from hostile input', async () => {
    const result = await layout('hostile', 600);
    expect(result.dialogs).toBe(0);
    expect(result.headlines[0]?.text).toContain('<script>alert(1)</script> Breaking');
  });

  it('the checks catch a layout that overflows, hides a headline or has faint text (control)', async () => {
    const bad =
      '<html><body style="margin:0;background:#fff">' +
      '<h2 class="headline" style="width:700px">Too wide</h2>' +
      '<h2 class="headline" style="display:none">Hidden</h2>' +
      '<p style="color:#bbbbbb">Faint grey text</p></body></html>';
    const result = await layout('control', 375, bad);
    expect(result.scrollWidth).toBeGreaterThan(375);
    expect(result.headlines.map((h) => [h.text, h.visible, h.width > 0])).toEqual([
      ['Too wide', true, true],
      ['Hidden', false, false],
    ]);
    expect(result.lowContrast.map((l) => l.text)).toEqual(['Faint grey text']);
  });
});
