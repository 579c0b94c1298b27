/**
 * The archive's HTML pages: one per day, and the index (the latest briefing, the past days newest
 * first in pages of ARCHIVE_PAGE_SIZE, and the sign-up form). Nothing per reader: no address, no token.
 */
import { formatLongDay, formatShortDay } from '../render/dates.ts';
import { cleanText, escapeHtml } from '../render/safe.ts';
import type { BriefingView } from '../render/view.ts';
import type { Day, Digest } from '../types.ts';
import { page, type SiteBrand } from './layout.ts';
import { laterThreads, type SiteManifest } from './manifest.ts';
import { type SiteLinks, storiesHtml } from './stories-html.ts';

/** Past days listed per archive page. */
export const ARCHIVE_PAGE_SIZE = 30;

export interface SitePageContext {
  readonly brand: SiteBrand;
  readonly styleSheet: string;
  /** Where the sign-up form posts (the sign-up endpoint); null: no form. */
  readonly signupAction: string | null;
  readonly footer: string;
  readonly manifest: SiteManifest;
}

const e = escapeHtml;

export const RELATIVE_LINKS: SiteLinks = {
  day: (day, anchor) => `${day}.html${anchor ? `#${anchor}` : ''}`,
};

function oneLine(value: string): string {
  return cleanText(value).replace(/\s+/g, ' ').trim();
}

function laterOf(manifest: SiteManifest, day: Day) {
  const later = new Map<string, { day: Day; dayLabel: string; storyId: string; headline: string }[]>();
  for (const [storyId, list] of laterThreads(manifest, day)) {
    later.set(
      storyId,
      list.map((l) => ({ ...l, headline: oneLine(l.headline), dayLabel: formatShortDay(l.day, day) })),
    );
  }
  return later;
}

/** The stories of one day as an HTML fragment, with links built by `links`. */
export function dayStoriesHtml(
  view: BriefingView,
  digest: Digest,
  manifest: SiteManifest,
  links: SiteLinks,
  headingLevel: 2 | 3,
): string {
  return storiesHtml({ view, digest, links, later: laterOf(manifest, digest.date), headingLevel });
}

export function dayPage(ctx: SitePageContext, view: BriefingView, digest: Digest): string {
  const body = `<h1>${e(view.brand.name)}: ${e(view.dateLabel)}</h1>
<p class="dateline">${e(view.storyCountLabel)}</p>
${dayStoriesHtml(view, digest, ctx.manifest, RELATIVE_LINKS, 2)}
<p class="pager"><a href="index.html#archive">All briefings</a></p>`;
  return page({
    brand: ctx.brand,
    title: `${view.brand.name}: ${view.dateLabel}`,
    description: view.preheader,
    styleSheet: ctx.styleSheet,
    feedLinks: true,
    home: 'index.html',
    body,
    footer: ctx.footer,
  });
}

function signupForm(action: string | null): string {
  if (action === null) return '';
  // The hidden "website" field is a honeypot: people never see it, form-filling bots fill it in.
  return `<section class="signup" aria-labelledby="signup-h">
<h2 id="signup-h">Get the briefing by email</h2>
<form method="post" action="${e(action)}">
<label for="signup-email">Email address</label>
<input id="signup-email" name="email" type="email" autocomplete="email" required maxlength="254">
<div class="hp" aria-hidden="true"><label for="signup-website">Leave this empty</label><input id="signup-website" name="website" type="text" tabindex="-1" autocomplete="off"></div>
<button type="submit">Sign up</button>
<p>We send one email to confirm. Nothing is sent until you press its button.</p>
</form>
</section>`;
}

/** Archive page file names: index.html, then page-2.html, page-3.html, … */
export function archivePageName(n: number): string {
  return n <= 1 ? 'index.html' : `page-${n}.html`;
}

function dayList(ctx: SitePageContext, days: readonly Day[]): string {
  const items = days.map((day) => {
    const entry = ctx.manifest.days[day];
    const headline = entry?.headline ? ` — ${e(oneLine(entry.headline))}` : '';
    const count = entry ? ` (${entry.storyCount} ${entry.storyCount === 1 ? 'story' : 'stories'})` : '';
    return `<li><a href="${e(RELATIVE_LINKS.day(day))}">${e(formatLongDay(day))}</a>${headline}${e(count)}</li>`;
  });
  return `<ul class="days">${items.join('')}</ul>`;
}

function pager(n: number, pages: number): string {
  const links: string[] = [];
  if (n > 1) links.push(`<a href="${archivePageName(n - 1)}#archive" rel="prev">Newer briefings</a>`);
  if (n < pages) links.push(`<a href="${archivePageName(n + 1)}#archive" rel="next">Older briefings</a>`);
  return links.length > 0 ? `<nav class="pager" aria-label="Archive pages">${links.join('')}</nav>` : '';
}

/**
 * Archive page `n` (1 = index.html, which leads with the latest briefing and the sign-up form).
 * `latest` is the newest day's view and digest; null when nothing is published yet.
 */
export function archivePage(
  ctx: SitePageContext,
  days: readonly Day[],
  n: number,
  latest: { view: BriefingView; digest: Digest } | null,
): string {
  const pages = Math.max(1, Math.ceil(days.length / ARCHIVE_PAGE_SIZE));
  const shown = days.slice((n - 1) * ARCHIVE_PAGE_SIZE, n * ARCHIVE_PAGE_SIZE);
  const parts: string[] = [];
  if (n === 1) {
    if (latest) {
      parts.push(
        `<h1>${e(latest.view.brand.name)}</h1>
<p class="dateline">Latest briefing: <a href="${e(RELATIVE_LINKS.day(latest.digest.date))}">${e(latest.view.dateLabel)}</a> · ${e(latest.view.storyCountLabel)}</p>`,
        dayStoriesHtml(latest.view, latest.digest, ctx.manifest, RELATIVE_LINKS, 2),
      );
    } else {
      parts.push(`<h1>${e(ctx.brand.name)}</h1><p>No briefing has been published yet.</p>`);
    }
    parts.push(signupForm(ctx.signupAction));
  } else {
    parts.push(`<h1>${e(ctx.brand.name)}: past briefings</h1>`);
  }
  parts.push(
    `<section aria-labelledby="archive"><h2 id="archive">Past briefings${pages > 1 ? ` (page ${n} of ${pages})` : ''}</h2>`,
    shown.length > 0 ? dayList(ctx, shown) : '<p>None yet.</p>',
    pager(n, pages),
    '</section>',
  );
  return page({
    brand: ctx.brand,
    title: n === 1 ? ctx.brand.name : `${ctx.brand.name}: past briefings, page ${n}`,
    description: `${ctx.brand.name}: the daily briefing and its archive.`,
    styleSheet: ctx.styleSheet,
    feedLinks: true,
    home: 'index.html',
    body: parts.join('\n'),
    footer: ctx.footer,
  });
}
