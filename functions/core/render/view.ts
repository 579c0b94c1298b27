/**
 * The briefing's view model: the digest turned into exactly what a reader sees, in order, with
 * every untrusted value cleaned (not yet escaped: the HTML template escapes, plain text does not
 * need to) and every URL checked. Both the MJML templates and the plain-text renderer read it,
 * so the two alternatives always carry the same content.
 */
import type { Digest, DigestArticleRef, DigestStory, KeyFigure } from '../types.ts';
import type { WeeklyDigest } from '../weekly.ts';
import type { BriefingConfig } from './config.ts';
import { formatLongDay, formatShortDay, formatWeekRange } from './dates.ts';
import {
  alsoReportedLabelOf,
  coverage,
  oneLine,
  outletName,
  plural,
  type SourceEntry,
  sourceListOf,
  storyOutlets,
  truncateAtWord,
} from './outlets.ts';
import { PLACEHOLDERS } from './placeholders.ts';
import { safeHttpUrl } from './safe.ts';

/** Key figures shown per story: more turns the story into a table nobody reads. */
export const MAX_FIGURES_SHOWN = 4;
/** Disagreements shown per story; each is a side-by-side row, so keep the story scannable. */
export const MAX_DISAGREEMENTS_PER_STORY = 2;
/** Columns in a disagreement row: three still fit side by side on a 375 px phone. */
export const MAX_FIGURES_PER_DISAGREEMENT = 3;
/** Summary sentences shown; the summariser keeps its own budget, this only guards the layout. */
export const MAX_SUMMARY_SENTENCES = 8;
/** Headlines beyond this are cut at a word ("…"); real headlines are far shorter. */
export const MAX_SHOWN_HEADLINE_CHARS = 160;
/** Sentences beyond this are cut at a word ("…"): a run-on "sentence" is usually extraction junk. */
export const MAX_SENTENCE_CHARS = 600;
/** Headline-only entries after the full stories; past this a count stands for the rest. */
export const MAX_LISTED_HEADLINES = 60;
/** Subject lines beyond this are truncated by most clients anyway. */
export const MAX_SUBJECT_CHARS = 90;
/**
 * Production labels that wire services put before the text of a video or picture story ("STORY:
 * Talks between…", "SHOWS: aerial views…"). They are instructions to editors, not news, so the
 * briefing drops them; the article text and the digest keep the sentence verbatim. A short closed
 * list, matched in capitals only, so that a real lead-in ("NATO: …", "Watch: …") is never cut.
 */
export const PRODUCTION_LABELS = [
  'STORY',
  'SHOWS',
  'VIDEO',
  'WATCH',
  'LISTEN',
  'PHOTOS',
  'SOUNDBITE',
] as const;

const PRODUCTION_LABEL = new RegExp(`^(?:${PRODUCTION_LABELS.join('|')})\\s*:\\s*`);

export interface SourceLink {
  readonly name: string;
  readonly url: string | null;
}

export interface SentenceView {
  readonly text: string;
  readonly source: SourceLink;
}

export interface FigureView {
  readonly display: string;
  readonly subject: string;
  readonly source: SourceLink;
}

export interface DisagreementView {
  /**
   * "Sources differ" when the figures come from different articles; "Figures differ" when they all
   * come from one article (a claim and a rebuttal quoted in the same report).
   */
  readonly label: string;
  readonly quantity: string;
  readonly figures: readonly FigureView[];
  /** Column width in percent, so the template can lay figures side by side. */
  readonly columnWidth: string;
}

export interface FollowUpView {
  readonly headline: string;
  readonly dayLabel: string;
  readonly url: string | null;
}

export interface StoryView {
  readonly id: string;
  /** HTML id for in-page links ("story-abc123"). */
  readonly anchor: string;
  readonly number: number;
  readonly headline: string;
  /** The first member article's URL, when known: the headline links to it. */
  readonly url: string | null;
  /** Outlets known by name or web address; articles with neither are counted in articleCount only. */
  readonly outletCount: number;
  /** Member articles plus duplicates. */
  readonly articleCount: number;
  /** Short coverage ("3 outlets", "3 articles" when the outlets are unknown). */
  readonly coverageLabel: string;
  /** The coverage as a phrase ("Reported by 3 outlets", "Reported in 3 articles"). */
  readonly coverageLine: string;
  readonly followUp: FollowUpView | null;
  readonly summary: readonly SentenceView[];
  readonly figures: readonly FigureView[];
  readonly disagreements: readonly DisagreementView[];
  /** Outlets that carried the story but are not quoted in the summary. */
  readonly alsoReported: readonly SourceLink[];
  readonly alsoReportedLabel: string | null;
  /** Each "Source N" of the story with its own title (outlets.ts sourceListOf); empty when all are named. */
  readonly sourceList: readonly SourceEntry[];
}

export interface HeadlineView {
  readonly number: number;
  readonly headline: string;
  readonly url: string | null;
  readonly coverageLabel: string;
}

export interface BriefingView {
  readonly brand: {
    readonly name: string;
    readonly accentColor: string;
    readonly logoUrl: string | null;
  };
  readonly subject: string;
  readonly preheader: string;
  readonly date: string;
  readonly dateLabel: string;
  readonly storyCount: number;
  readonly storyCountLabel: string;
  readonly stories: readonly StoryView[];
  readonly moreStories: readonly HeadlineView[];
  /** Stories neither shown nor listed (beyond MAX_LISTED_HEADLINES). */
  readonly unlistedCount: number;
  readonly unlistedLabel: string | null;
  readonly archiveUrl: string | null;
  readonly footer: {
    readonly whyYouGetThis: string;
    readonly postalAddress: string;
    readonly senderAddress: string;
    readonly senderName: string;
    /** Sender name and postal address, the name said once (the postal line may start with it). */
    readonly contactLine: string;
    readonly unsubscribeUrl: string;
    /** The per-subscriber preference link's slot, or null when no preference page is configured. */
    readonly preferencesUrl: string | null;
    readonly subscriberEmail: string;
  };
}

export interface ViewOptions {
  /** Overrides config.maxFullStories (the renderer lowers it when the HTML is over budget). */
  readonly maxFullStories?: number;
  /** Overrides MAX_LISTED_HEADLINES (the renderer lowers it when the HTML is over budget). */
  readonly maxListedHeadlines?: number;
}

function anchorFor(id: string): string {
  return `story-${id.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 64) || 'x'}`;
}

/** A summary sentence or headline without a leading wire production label (see PRODUCTION_LABELS). */
export function withoutProductionLabel(text: string): string {
  const rest = text.replace(PRODUCTION_LABEL, '');
  if (rest === text) return text;
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}

/** The sender name and postal line, without saying the name twice ("News Digest, 1 Example Street"). */
export function contactLineOf(senderName: string, postalAddress: string): string {
  if (!senderName) return postalAddress;
  if (!postalAddress) return senderName;
  const startsWithName =
    postalAddress.toLowerCase().startsWith(senderName.toLowerCase()) &&
    !/^[\p{L}\p{N}]/u.test(postalAddress.slice(senderName.length));
  return startsWithName ? postalAddress : `${senderName} · ${postalAddress}`;
}

function coverageOf(story: DigestStory): number {
  return storyOutlets(story).length;
}

/** Most-covered first; ties keep the digest's own order (the engine's ranking). */
export function orderStories(stories: readonly DigestStory[]): DigestStory[] {
  return stories
    .map((story, index) => ({
      story,
      index,
      coverage: coverageOf(story),
      size: story.articles.length + story.duplicates.length,
    }))
    .sort((a, b) => b.coverage - a.coverage || b.size - a.size || a.index - b.index)
    .map((entry) => entry.story);
}

/** A story's articles by id, with their 1-based place in the story (for "Source N"). */
type ArticleIndex = ReadonlyMap<string, { readonly article: DigestArticleRef; readonly position: number }>;

function sourceForArticle(articles: ArticleIndex, articleId: string, outlet?: string | null): SourceLink {
  const entry = articles.get(articleId);
  const url = safeHttpUrl(entry?.article.url);
  const name = outletName(outlet ?? entry?.article.outlet, entry?.article.url, entry?.position ?? 0);
  return { name: entry || outlet ? name : 'Unattributed', url };
}

function figureView(articles: ArticleIndex, figure: KeyFigure): FigureView {
  return {
    display: truncateAtWord(oneLine(figure.display), 40),
    subject: truncateAtWord(oneLine(figure.subject), 120),
    source: sourceForArticle(articles, figure.articleId, figure.outlet),
  };
}

function storyView(
  story: DigestStory,
  number: number,
  digestDay: string,
  archiveBase: string | null,
): StoryView {
  const articles: ArticleIndex = new Map(
    story.articles.map((article, i) => [article.id, { article, position: i + 1 }]),
  );
  const summary = story.summary
    .slice(0, MAX_SUMMARY_SENTENCES)
    .map((s) => ({
      text: truncateAtWord(withoutProductionLabel(oneLine(s.text)), MAX_SENTENCE_CHARS),
      source: sourceForArticle(articles, s.articleId, s.outlet),
    }))
    .filter((s) => s.text.length > 0);

  const disagreements = (story.disagreements ?? [])
    .slice(0, MAX_DISAGREEMENTS_PER_STORY)
    .map((d) => {
      const shown = d.figures.slice(0, MAX_FIGURES_PER_DISAGREEMENT);
      const figures = shown.map((f) => figureView(articles, f));
      const oneArticle = new Set(shown.map((f) => f.articleId)).size === 1;
      return {
        label: oneArticle ? 'Figures differ' : 'Sources differ',
        quantity: truncateAtWord(oneLine(d.quantity), 120),
        figures,
        columnWidth: `${Math.floor(100 / Math.max(1, figures.length))}%`,
      };
    })
    .filter((d) => d.figures.length >= 2);

  const inDisagreement = new Set(
    disagreements.flatMap((d) => d.figures.map((f) => `${f.display}|${f.subject}`)),
  );
  const seenFigures = new Set<string>();
  const figures: FigureView[] = [];
  for (const figure of story.figures ?? []) {
    const view = figureView(articles, figure);
    const key = `${view.display}|${view.subject}`;
    if (seenFigures.has(key) || inDisagreement.has(key) || !view.display) continue;
    seenFigures.add(key);
    figures.push(view);
    if (figures.length >= MAX_FIGURES_SHOWN) break;
  }

  const outlets = storyOutlets(story);
  const quoted = new Set(summary.map((s) => s.source.name.toLowerCase()));
  const unquoted = outlets.filter((o) => !quoted.has(o.name.toLowerCase()));
  const alsoReported = unquoted.map((o) => ({ name: o.name, url: o.url }));
  const covered = coverage(outlets);

  const follow = story.followUpTo ?? null;
  const followUp: FollowUpView | null = follow
    ? {
        headline: truncateAtWord(oneLine(follow.headline), MAX_SHOWN_HEADLINE_CHARS),
        dayLabel: formatShortDay(follow.day, digestDay),
        // The archived briefing when there is an archive, else the earlier story's own article.
        url:
          archiveBase && /^\d{4}-\d{2}-\d{2}$/.test(follow.day)
            ? safeHttpUrl(`${archiveBase}/${follow.day}.html#${anchorFor(follow.storyId)}`)
            : safeHttpUrl(follow.url),
      }
    : null;

  return {
    id: story.id,
    anchor: anchorFor(story.id),
    number,
    headline: headlineOf(story),
    url: story.articles.map((a) => safeHttpUrl(a.url)).find((u) => u !== null) ?? null,
    outletCount: outlets.filter((o) => o.known).length,
    articleCount: story.articles.length + story.duplicates.length,
    coverageLabel: covered.label,
    coverageLine: covered.line,
    followUp,
    summary,
    figures,
    disagreements,
    alsoReported,
    alsoReportedLabel: alsoReportedLabelOf(unquoted),
    sourceList: sourceListOf(story),
  };
}

function headlineOf(story: DigestStory): string {
  return (
    truncateAtWord(withoutProductionLabel(oneLine(story.headline)), MAX_SHOWN_HEADLINE_CHARS) ||
    'Untitled story'
  );
}

function archiveBaseOf(config: BriefingConfig): string | null {
  const base = safeHttpUrl(config.archiveBaseUrl ?? null);
  return base ? base.replace(/\/+$/, '') : null;
}

/** Builds what the reader sees from a digest. Pure; deterministic. */
export function buildBriefingView(
  digest: Digest,
  config: BriefingConfig,
  options: ViewOptions = {},
): BriefingView {
  const maxFull = Math.max(0, options.maxFullStories ?? config.maxFullStories);
  const maxListed = Math.max(0, options.maxListedHeadlines ?? MAX_LISTED_HEADLINES);
  const archiveBase = archiveBaseOf(config);
  const ordered = orderStories(digest.stories);
  const full = ordered.slice(0, maxFull).map((s, i) => storyView(s, i + 1, digest.date, archiveBase));
  const rest = ordered.slice(maxFull);
  const listed = rest.slice(0, maxListed).map((s, i) => ({
    number: maxFull + i + 1,
    headline: headlineOf(s),
    url: s.articles.map((a) => safeHttpUrl(a.url)).find((u) => u !== null) ?? null,
    coverageLabel: coverage(storyOutlets(s)).label,
  }));
  const unlistedCount = rest.length - listed.length;
  const brandName = oneLine(config.brandName);
  // A weekly digest (core/weekly.ts) is the same design with a week header.
  const week = (digest as Partial<WeeklyDigest>).week ?? null;
  const dateLabel = week ? `The week of ${formatWeekRange(week.from, week.to)}` : formatLongDay(digest.date);
  const top = full[0]?.headline ?? listed[0]?.headline ?? null;
  const count = ordered.length;
  const storyCountLabel = plural(count, 'story', 'stories');
  const subject = top
    ? truncateAtWord(`${brandName}${week ? ' weekly' : ''}: ${top}`, MAX_SUBJECT_CHARS)
    : `${brandName}: no new stories for ${week ? dateLabel.replace(/^The w/, 'the w') : formatShortDay(digest.date)}`;
  const preheader = top
    ? `${top} · ${storyCountLabel} in ${week ? "this week's" : "today's"} briefing`
    : `No new stories for ${dateLabel}`;

  return {
    brand: {
      name: brandName,
      accentColor: /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(config.accentColor)
        ? config.accentColor
        : '#a11d21',
      logoUrl: safeHttpUrl(config.logoUrl),
    },
    subject,
    preheader,
    date: digest.date,
    dateLabel,
    storyCount: count,
    storyCountLabel,
    stories: full,
    moreStories: listed,
    unlistedCount,
    unlistedLabel: unlistedCount > 0 ? `and ${plural(unlistedCount, 'more story', 'more stories')}` : null,
    archiveUrl:
      archiveBase && !week && /^\d{4}-\d{2}-\d{2}$/.test(digest.date)
        ? `${archiveBase}/${digest.date}.html`
        : null,
    footer: {
      // The configured sentence names the daily briefing; a weekly reader is told the truth.
      whyYouGetThis: oneLine(
        week ? config.whyYouGetThis.replace(/\bdaily\b/, 'weekly') : config.whyYouGetThis,
      ),
      postalAddress: oneLine(config.postalAddress),
      senderAddress: oneLine(config.senderAddress),
      senderName: oneLine(config.senderName),
      contactLine: contactLineOf(oneLine(config.senderName), oneLine(config.postalAddress)),
      unsubscribeUrl: PLACEHOLDERS.unsubscribeUrl,
      preferencesUrl: config.preferencesBaseUrl ? PLACEHOLDERS.preferencesUrl : null,
      subscriberEmail: PLACEHOLDERS.email,
    },
  };
}
