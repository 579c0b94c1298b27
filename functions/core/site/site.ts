/**
 * The archive site from the digests: pure, the same code for `npm run digest` (out/site/) and the
 * publisher Lambda (the bucket's site/ prefix). Callers hand in the digests and the manifest and get
 * back files to write; each day page is rendered on its own, so one bad digest costs one page.
 */
import type { BriefingConfig } from '../render/config.ts';
import { formatLongDay } from '../render/dates.ts';
import { escapeHtml } from '../render/safe.ts';
import { type BriefingView, buildBriefingView, contactLineOf } from '../render/view.ts';
import type { Day, Digest } from '../types.ts';
import { atomFeed, type FeedEntry, jsonFeed } from './feeds.ts';
import { type SiteBrand, styleSheet, styleSheetName } from './layout.ts';
import type { SiteManifest } from './manifest.ts';
import {
  ARCHIVE_PAGE_SIZE,
  archivePage,
  archivePageName,
  dayPage,
  dayStoriesHtml,
  type SitePageContext,
} from './pages.ts';
import type { SiteLinks } from './stories-html.ts';

export interface SiteConfig {
  readonly briefing: BriefingConfig;
  /** Absolute URL the site is served from (the feeds need absolute links), without a trailing slash. */
  readonly baseUrl: string;
  /** Where the index's sign-up form posts; null: no form. */
  readonly signupAction: string | null;
}

export interface SiteFile {
  /** Path below site/ (`index.html`, `2022-03-10.html`, `feed.xml`, …). */
  readonly path: string;
  readonly body: string;
  readonly contentType: string;
  readonly cacheControl: string;
}

/**
 * Pages and feeds change when a digest does: browsers and CloudFront keep them five minutes, so a
 * change shows within that without invalidations. The style sheet's name carries its hash: a year.
 */
export const PAGE_CACHE_CONTROL = 'public, max-age=300';
export const ASSET_CACHE_CONTROL = 'public, max-age=31536000, immutable';

const HTML = 'text/html; charset=utf-8';

function brandOf(config: BriefingConfig): SiteBrand {
  return {
    name: config.brandName.trim() || 'News Digest',
    accentColor: /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(config.accentColor) ? config.accentColor : '#a11d21',
  };
}

/** The email's view of a digest without its per-reader parts, every story in full. */
export function siteView(digest: Digest, config: BriefingConfig): BriefingView {
  return buildBriefingView(
    digest,
    { ...config, archiveBaseUrl: null },
    { maxFullStories: digest.stories.length },
  );
}

function pageContext(config: SiteConfig, manifest: SiteManifest): SitePageContext {
  const brand = brandOf(config.briefing);
  const b = config.briefing;
  return {
    brand,
    styleSheet: styleSheetName(styleSheet(brand)),
    signupAction: config.signupAction,
    footer: escapeHtml(contactLineOf(b.senderName.trim(), b.postalAddress.trim())),
    manifest,
  };
}

function absoluteLinks(baseUrl: string): SiteLinks {
  return { day: (day, anchor) => `${baseUrl}/${day}.html${anchor ? `#${anchor}` : ''}` };
}

export function dayPageFile(config: SiteConfig, manifest: SiteManifest, digest: Digest): SiteFile {
  const body = dayPage(pageContext(config, manifest), siteView(digest, config.briefing), digest);
  return { path: `${digest.date}.html`, body, contentType: HTML, cacheControl: PAGE_CACHE_CONTROL };
}

/** One feed entry: the day's stories with absolute links. */
export function feedEntry(config: SiteConfig, manifest: SiteManifest, digest: Digest): FeedEntry {
  const view = siteView(digest, config.briefing);
  const top = view.stories[0]?.headline;
  return {
    day: digest.date,
    title: `${formatLongDay(digest.date)}${top ? `: ${top}` : ''}`,
    url: `${config.baseUrl}/${digest.date}.html`,
    html: dayStoriesHtml(view, digest, manifest, absoluteLinks(config.baseUrl), 2),
    updated: manifest.days[digest.date]?.updated ?? `${digest.date}T00:00:00.000Z`,
    summary: view.preheader,
  };
}

/**
 * The files every publish rewrites: the style sheet, the archive pages (index.html leads with
 * `latest`), and both feeds from `entries` (newest first).
 */
export function sharedFiles(
  config: SiteConfig,
  manifest: SiteManifest,
  days: readonly Day[],
  latest: Digest | null,
  entries: readonly FeedEntry[],
): SiteFile[] {
  const ctx = pageContext(config, manifest);
  const css = styleSheet(ctx.brand);
  const latestView = latest ? { view: siteView(latest, config.briefing), digest: latest } : null;
  const pages = Math.max(1, Math.ceil(days.length / ARCHIVE_PAGE_SIZE));
  const files: SiteFile[] = [
    {
      path: ctx.styleSheet,
      body: css,
      contentType: 'text/css; charset=utf-8',
      cacheControl: ASSET_CACHE_CONTROL,
    },
  ];
  for (let n = 1; n <= pages; n++) {
    files.push({
      path: archivePageName(n),
      body: archivePage(ctx, days, n, n === 1 ? latestView : null),
      contentType: HTML,
      cacheControl: PAGE_CACHE_CONTROL,
    });
  }
  const meta = {
    title: ctx.brand.name,
    description: `${ctx.brand.name}: the daily news briefing, one entry per day.`,
    home: `${config.baseUrl}/`,
  };
  files.push(
    {
      path: 'feed.xml',
      body: atomFeed(meta, entries),
      contentType: 'application/atom+xml; charset=utf-8',
      cacheControl: PAGE_CACHE_CONTROL,
    },
    {
      path: 'feed.json',
      body: jsonFeed(meta, entries),
      contentType: 'application/feed+json; charset=utf-8',
      cacheControl: PAGE_CACHE_CONTROL,
    },
  );
  return files;
}
