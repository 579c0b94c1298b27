/**
 * Chromium for the archive site and the reader pages, served by `npm run serve`'s server on a free
 * localhost port: only that origin is reachable, and axe-core is injected from node_modules (the page's
 * own CSP allows no script, so the test context bypasses CSP for axe alone).
 */
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../functions/preview.ts';

export const AXE_PATH = join(import.meta.dirname, '..', '..', '..', 'node_modules', 'axe-core', 'axe.min.js');

export interface SiteBrowser {
  readonly browser: Browser;
  readonly context: BrowserContext;
  close(): Promise<void>;
}

export async function launchSiteBrowser(...origins: string[]): Promise<SiteBrowser> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
  });
  const context = await browser.newContext({ bypassCSP: true, javaScriptEnabled: true });
  await context.route('**/*', (route) =>
    origins.some((origin) => route.request().url().startsWith(origin)) ? route.continue() : route.abort(),
  );
  return { browser, context, close: () => browser.close() };
}

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly nodes: string[];
}

/** axe-core's WCAG 2 A/AA rules on the page as it is. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run: (
            ctx: unknown,
            opts: unknown,
          ) => Promise<{
            violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[];
          }>;
        };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.map((n) => String(n.target)),
    }));
  });
}
