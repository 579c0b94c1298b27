/**
 * A reader's whole journey in Chromium through `npm run serve` (runServe, as the CLI calls it), with no
 * AWS: sign up on the archive's index, open the confirmation mail from out/outbox/ (.eml, parsed), press
 * confirm, change the hour, time zone and cadence, unsubscribe. Each reader page passes axe-core's
 * WCAG 2 AA rules, and each step is photographed into out/preview/reader-*.png.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsSubscriberStore } from '../../functions/adapters/fs-store.ts';
import { signUnsubscribeToken } from '../../functions/core/render/unsubscribe-token.ts';
import { CHROMIUM_PATH } from '../../functions/preview.ts';
import { runServe } from '../../functions/serve.ts';
import { buildSeedSite } from '../support/seed-site.ts';
import { axeViolations, launchSiteBrowser, type SiteBrowser } from './support/site-browser.ts';

const PREVIEW = join(import.meta.dirname, '..', '..', 'out', 'preview');
const hasChromium = existsSync(CHROMIUM_PATH);
const READER = 'reader@example.org';

describe.skipIf(!hasChromium)('a reader’s journey through npm run serve', () => {
  let out: string;
  let server: Server;
  let origin: string;
  let browser: SiteBrowser;
  let page: Page;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'reader-journey-'));
    await buildSeedSite(out);
    const write = process.stdout.write;
    let printed = '';
    process.stdout.write = ((chunk: string) => {
      printed += chunk;
      return true;
    }) as typeof process.stdout.write;
    try {
      server = await runServe(['--out', out, '--port', '0'], 'journey-test-key');
    } finally {
      process.stdout.write = write;
    }
    const port = (server.address() as AddressInfo).port;
    origin = `http://localhost:${port}`;
    expect(printed).toContain(`${origin}/`);
    browser = await launchSiteBrowser(origin, `http://127.0.0.1:${port}`);
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 375, height: 800 });
    mkdirSync(PREVIEW, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((done) => server?.close(done));
    rmSync(out, { recursive: true, force: true });
  });

  const store = () => new FsSubscriberStore(out);
  async function step(name: string) {
    await page.screenshot({ path: join(PREVIEW, `reader-${name}-375.png`), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
  }

  it('signs up, confirms from the mailed link, changes the hour, and unsubscribes', async () => {
    await page.goto(`${origin}/`);
    await page.getByLabel('Email address').fill(READER);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Check your inbox');
    await step('signup-received');
    expect((await store().get(READER))?.status).toBe('pending');

    const mails = readdirSync(join(out, 'outbox')).filter((n) => n.endsWith('.eml'));
    expect(mails).toHaveLength(1);
    const mail = await simpleParser(readFileSync(join(out, 'outbox', mails[0] ?? '')));
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toContain(READER);
    const link = /http:\/\/localhost:\d+\/confirm\?token=\S+/.exec(mail.text ?? '')?.[0] ?? '';
    expect(link).not.toBe('');
    expect(mail.html).toContain(link.replace(/&/g, '&amp;').split('?')[0]);

    await page.goto(link);
    expect(await page.locator('h1').innerText()).toBe('Confirm your subscription');
    expect((await store().get(READER))?.status).toBe('pending');
    await step('confirm');
    await page.getByRole('button', { name: 'Confirm my subscription' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('You are subscribed');
    expect((await store().get(READER))?.status).toBe('active');
    await step('confirmed');

    await page.getByRole('link', { name: 'choose how often and when' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Your briefing preferences');
    await step('preferences');
    await page.getByLabel('How often').selectOption('weekly');
    await page.getByLabel('Time zone').selectOption('Asia/Tokyo');
    await page.getByLabel('Delivery hour').selectOption('6');
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await expect.poll(() => page.getByRole('status').innerText()).toContain('saved');
    expect(await store().get(READER)).toMatchObject({ cadence: 'weekly', timeZone: 'Asia/Tokyo', hour: 6 });
    expect(await page.getByLabel('Delivery hour').inputValue()).toBe('6');

    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('You are unsubscribed');
    await step('unsubscribed');
    expect(await store().get(READER)).toBeNull();

    // The used confirmation link is refused now, like any invalid link.
    await page.goto(link);
    expect(await page.locator('h1').innerText()).toBe('This link is not valid');
  });

  it('runs the one-click unsubscribe page against the local store too (GET asks, POST removes)', async () => {
    await store().add('leaver@example.org');
    const token = signUnsubscribeToken(
      'leaver@example.org',
      { version: 1, secret: 'journey-test-key' },
      new Date(),
    );
    await page.goto(`${origin}/unsubscribe?token=${encodeURIComponent(token)}`);
    expect(await page.locator('h1').innerText()).toBe('Unsubscribe from the briefing?');
    expect(await store().get('leaver@example.org')).not.toBeNull();
    await step('unsubscribe');
    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('You are unsubscribed');
    expect(await store().get('leaver@example.org')).toBeNull();
  });
});
