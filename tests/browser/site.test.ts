/**
 * The archive site in headless Chromium, served by `npm run serve`'s server: the index and a day page
 * have no axe-core WCAG 2 AA violation at 375 and 1280 px, read without JavaScript (the same text with
 * scripts off), do not overflow a phone's width, and are photographed into out/preview/.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH } from '../../functions/preview.ts';
import { createLocalServer } from '../../functions/serve.ts';
import { buildSeedSite } from '../support/seed-site.ts';
import { axeViolations, launchSiteBrowser, type SiteBrowser } from './support/site-browser.ts';

const PREVIEW = join(import.meta.dirname, '..', '..', 'out', 'preview');
const hasChromium = existsSync(CHROMIUM_PATH);
if (!hasChromium)
  console.warn(`SKIPPED site browser tests: ${CHROMIUM_PATH} is missing (apt-get install -y chromium).`);

const WIDTHS = [375, 1280] as const;

describe.skipIf(!hasChromium)('the archive site in Chromium', () => {
  let out: string;
  let days: string[];
  let server: Server;
  let origin: string;
  let browser: SiteBrowser;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'site-browser-'));
    days = await buildSeedSite(out);
    server = createLocalServer({ outDir: out });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchSiteBrowser(origin);
    mkdirSync(PREVIEW, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((done) => server?.close(done));
    rmSync(out, { recursive: true, force: true });
  });

  const pages = () => ({ index: '/', day: `/${[...days].sort()[0]}.html` });

  for (const width of WIDTHS) {
    for (const name of ['index', 'day'] as const) {
      it(`${name} page at ${width} px: no WCAG 2 AA violation, no overflow, screenshot`, async () => {
        const page = await browser.context.newPage();
        try {
          await page.setViewportSize({ width, height: 900 });
          const response = await page.goto(`${origin}${pages()[name]}`);
          expect(response?.status()).toBe(200);
          expect(response?.headers()['content-security-policy']).toContain("default-src 'none'");
          expect(await page.locator('article.story').count()).toBeGreaterThan(0);
          expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
          await page.screenshot({ path: join(PREVIEW, `site-${name}-${width}.png`), fullPage: true });
          expect(await axeViolations(page)).toEqual([]);
        } finally {
          await page.close();
        }
      });
    }
  }

  it('axe really checks: a page with an unlabelled field and an image without alt text has violations', async () => {
    const page = await browser.context.newPage();
    try {
      await page.goto(`${origin}/`);
      await page.setContent('<!doctype html><html><body><img src="x.png"><input type="text"></body></html>');
      const ids = (await axeViolations(page)).map((v) => v.id);
      expect(ids).toEqual(expect.arrayContaining(['image-alt', 'label', 'html-has-lang']));
    } finally {
      await page.close();
    }
  });

  it('reads the same without JavaScript', async () => {
    const noScript = await browser.browser.newContext({ javaScriptEnabled: false });
    try {
      for (const path of Object.values(pages())) {
        const off = await noScript.newPage();
        await off.goto(`${origin}${path}`);
        const on = await browser.context.newPage();
        await on.goto(`${origin}${path}`);
        expect(await off.locator('main').innerText()).toBe(await on.locator('main').innerText());
        expect((await off.locator('main').innerText()).length).toBeGreaterThan(200);
      }
    } finally {
      await noScript.close();
    }
  });
});
