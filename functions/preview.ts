/**
 * `npm run preview [-- --date YYYY-MM-DD] [--out <dir>]`: renders a day's briefing the way a
 * subscriber gets it and photographs it in headless Chromium at desktop (600 px) and phone (375 px)
 * widths, so an operator can see a template change before it is sent.
 *
 * Reads <out>/digests/<day>.json (the latest day by default; <out> defaults to `out`) and writes
 * <out>/preview/<day>.html, <day>.txt, <day>-600.png and <day>-375.png.
 *
 * Chromium is Debian's `chromium` package (/usr/bin/chromium), driven by playwright-core; no browser
 * is downloaded. The page runs offline: every network request is refused.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { BrowserContext } from 'playwright-core';
import { localBriefingConfig } from './adapters/local-briefing-config.ts';
import { renderBriefing } from './adapters/mjml-renderer.ts';
import { loadTemplates } from './adapters/templates.ts';
import { ConfigError, InputRejectedError } from './core/errors.ts';
import type { BriefingConfig } from './core/render/config.ts';
import { personalise } from './core/render/personalise.ts';
import { signUnsubscribeToken, unsubscribeUrl } from './core/render/unsubscribe-token.ts';
import { currentSigningKey } from './core/signing-keys.ts';
import type { Digest } from './core/types.ts';

/** Debian's chromium package; CI installs it with apt. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Headless, sandbox-free (containers run as root), and quiet: no updates, sync or network chatter. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Desktop clients show the briefing at its full 600 px; 375 px is the common phone width. */
export const PREVIEW_WIDTHS = [600, 375] as const;

/** Who the preview pretends to send to; the token is signed with a throwaway key. */
const PREVIEW_SUBSCRIBER = 'preview@example.com';
const PREVIEW_SECRET = 'preview-only-not-a-real-secret';

export interface BriefingBrowser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Starts headless Chromium with a fresh, throwaway profile and no network access. */
export async function launchBriefingBrowser(): Promise<BriefingBrowser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new ConfigError(
      `Chromium is not installed at ${CHROMIUM_PATH}. Install it: apt-get install -y chromium`,
    );
  }
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'briefing-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 600, height: 900 },
  });
  // Email is read offline-first: nothing in the briefing may depend on fetching anything.
  await context.route('**/*', (route) => route.abort());
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Screenshots `html` at `width` (full page) into `path`; returns the page's scroll width. */
export async function screenshotAt(
  browser: BriefingBrowser,
  html: string,
  width: number,
  path: string,
): Promise<{ scrollWidth: number }> {
  const page = await browser.context.newPage();
  try {
    await page.setViewportSize({ width, height: 900 });
    await page.setContent(html, { waitUntil: 'load' });
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    await page.screenshot({ path, fullPage: true });
    return { scrollWidth };
  } finally {
    await page.close();
  }
}

async function latestDay(digestsDir: string): Promise<string> {
  let names: string[] = [];
  try {
    names = await readdir(digestsDir);
  } catch {
    // Reported below.
  }
  const days = names
    .map((n) => /^(\d{4}-\d{2}-\d{2})\.json$/.exec(n)?.[1])
    .filter((d): d is string => d !== undefined)
    .sort();
  const last = days.at(-1);
  if (!last) {
    throw new InputRejectedError('no-digest', `No digests in ${digestsDir}. Run \`npm run digest\` first.`);
  }
  return last;
}

export interface PreviewOptions {
  /** Default: the brand keys of cdk.json's newsDigest block over the defaults (local-briefing-config.ts). */
  readonly config?: BriefingConfig;
  readonly templatesDir?: string;
}

/** The `preview` command. */
export async function runPreview(args: string[], options: PreviewOptions = {}): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { date: { type: 'string' }, out: { type: 'string' } },
    allowPositionals: false,
  });
  const outDir = values.out ?? 'out';
  if (values.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.date)) {
    throw new InputRejectedError(
      'bad-date',
      `--date must be a day such as 2022-02-28, not "${values.date}".`,
    );
  }
  const digestsDir = join(outDir, 'digests');
  const day = values.date ?? (await latestDay(digestsDir));
  let digest: Digest;
  try {
    digest = JSON.parse(await readFile(join(digestsDir, `${day}.json`), 'utf8')) as Digest;
  } catch (cause) {
    throw new InputRejectedError('no-digest', `No readable digest for ${day} in ${digestsDir}.`, { cause });
  }

  // The operator's brand from cdk.json, as the deployed send function gets it.
  const config = options.config ?? (await localBriefingConfig());
  const rendered = await renderBriefing(digest, config, await loadTemplates(options.templatesDir));
  const url = unsubscribeUrl(
    config.unsubscribeBaseUrl,
    signUnsubscribeToken(
      PREVIEW_SUBSCRIBER,
      currentSigningKey(PREVIEW_SECRET),
      new Date(`${digest.date}T07:00:00Z`),
    ),
  );
  const { html, text } = personalise(rendered, { email: PREVIEW_SUBSCRIBER, unsubscribeUrl: url });

  const previewDir = join(outDir, 'preview');
  await mkdir(previewDir, { recursive: true });
  const htmlPath = join(previewDir, `${day}.html`);
  await writeFile(htmlPath, html);
  await writeFile(join(previewDir, `${day}.txt`), text);
  const kb = (Buffer.byteLength(html) / 1024).toFixed(1);
  process.stdout.write(
    `Subject: ${rendered.subject}\nHTML: ${htmlPath} (${kb} KB; Gmail clips above 102 KB)\n`,
  );

  const browser = await launchBriefingBrowser();
  try {
    for (const width of PREVIEW_WIDTHS) {
      const path = join(previewDir, `${day}-${width}.png`);
      const { scrollWidth } = await screenshotAt(browser, html, width, path);
      const overflow = scrollWidth > width ? ` — WARNING: ${scrollWidth - width}px horizontal overflow` : '';
      process.stdout.write(`Screenshot ${width}px: ${path}${overflow}\n`);
    }
  } finally {
    await browser.close();
  }
}
