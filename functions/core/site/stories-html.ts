/**
 * A day's stories as HTML, from the same view model as the email (core/render/view.ts), so the web
 * page carries the same headlines, sentences, figures and attribution. Every value is escaped here;
 * every link comes from the view's checked URLs or from the site's own day/anchor links.
 */
import { escapeHtml } from '../render/safe.ts';
import type { BriefingView, DisagreementView, FigureView, SourceLink, StoryView } from '../render/view.ts';
import type { Day, Digest } from '../types.ts';

/** Where the site's own pages are: relative on the site, absolute in the feeds. */
export interface SiteLinks {
  /** The day page, with `#anchor` when given. */
  day(day: Day, anchor?: string): string;
}

export interface LaterFollowUp {
  readonly day: Day;
  readonly dayLabel: string;
  readonly storyId: string;
  readonly headline: string;
}

export interface StoriesContext {
  readonly view: BriefingView;
  readonly digest: Digest;
  readonly links: SiteLinks;
  /** Later stories continuing a story of this day, by story id. */
  readonly later: ReadonlyMap<string, readonly LaterFollowUp[]>;
  /** Heading level of each story headline (2 on a day page, 3 under the index's day heading). */
  readonly headingLevel: 2 | 3;
}

export function storyAnchor(storyId: string): string {
  return `story-${storyId.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 64) || 'x'}`;
}

const e = escapeHtml;

function link(url: string | null, text: string): string {
  return url ? `<a href="${e(url)}">${e(text)}</a>` : e(text);
}

function source(s: SourceLink): string {
  return `<span class="source">— ${link(s.url, s.name)}</span>`;
}

function figure(f: FigureView): string {
  return `<li><strong>${e(f.display)}</strong> ${e(f.subject)} ${source(f.source)}</li>`;
}

function disagreement(d: DisagreementView): string {
  return `<div class="differ"><p><strong>${e(d.label)}</strong>${d.quantity ? `: ${e(d.quantity)}` : ''}</p><ul>${d.figures.map(figure).join('')}</ul></div>`;
}

function story(ctx: StoriesContext, s: StoryView): string {
  const h = `h${ctx.headingLevel}`;
  const anchor = storyAnchor(s.id);
  const digestStory = ctx.digest.stories.find((d) => d.id === s.id);
  const earlier = digestStory?.followUpTo;
  const parts: string[] = [
    `<article class="story" id="${e(anchor)}" aria-labelledby="${e(anchor)}-h">`,
    `<${h} id="${e(anchor)}-h">${link(s.url, s.headline)}</${h}>`,
    `<p class="meta">${e(s.coverageLine)} · <a class="permalink" href="${e(ctx.links.day(ctx.digest.date, anchor))}">Link to this story</a></p>`,
  ];
  if (s.followUp && earlier) {
    parts.push(
      `<p class="thread">Follow-up to <a href="${e(ctx.links.day(earlier.day, storyAnchor(earlier.storyId)))}">${e(s.followUp.headline)}</a> (${e(s.followUp.dayLabel)})</p>`,
    );
  }
  if (s.summary.length > 0) {
    parts.push(
      `<ul class="summary">${s.summary.map((t) => `<li>${e(t.text)} ${source(t.source)}</li>`).join('')}</ul>`,
    );
  }
  if (s.figures.length > 0)
    parts.push(`<ul class="figures" aria-label="Key figures">${s.figures.map(figure).join('')}</ul>`);
  for (const d of s.disagreements) parts.push(disagreement(d));
  if (s.alsoReportedLabel) {
    parts.push(
      `<p class="also">${e(s.alsoReportedLabel)}: ${s.alsoReported.map((o) => link(o.url, o.name)).join(', ')}</p>`,
    );
  }
  if (s.sourceList.length > 0) {
    parts.push(
      `<ul class="sources" aria-label="Sources">${s.sourceList.map((src) => `<li>${e(src.label)}: <cite>${e(src.title)}</cite></li>`).join('')}</ul>`,
    );
  }
  for (const next of ctx.later.get(s.id) ?? []) {
    parts.push(
      `<p class="thread">Followed up on ${e(next.dayLabel)}: <a href="${e(ctx.links.day(next.day, storyAnchor(next.storyId)))}">${e(next.headline)}</a></p>`,
    );
  }
  parts.push('</article>');
  return parts.join('\n');
}

/** The day's stories; an empty day says so. */
export function storiesHtml(ctx: StoriesContext): string {
  if (ctx.view.stories.length === 0) return '<p>No stories remain for this day.</p>';
  return ctx.view.stories.map((s) => story(ctx, s)).join('\n');
}
