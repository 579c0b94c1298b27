/**
 * Who reported a story, as the reader sees it: outlet names (never input file names), distinct outlets
 * with their first-seen URL, and the coverage lines ("Reported by 3 outlets"). Values are cleaned to one
 * line, not escaped: the templates escape.
 */
import type { DigestStory } from '../types.ts';
import { cleanText, hostLabel, safeHttpUrl } from './safe.ts';

/** Collapses whitespace (including newlines) after cleaning: headlines and sentences are one line. */
export function oneLine(value: string): string {
  return cleanText(value).replace(/\s+/g, ' ').trim();
}

/** Cuts at the last word boundary before `max` characters and adds an ellipsis. */
export function truncateAtWord(value: string, max: number): string {
  const chars = Array.from(value);
  if (chars.length <= max) return value;
  const cut = chars.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * The name a reader sees for an article's outlet: its name, else its URL's host, else "Source N"
 * (N its place in the story). Input file names mean nothing to a reader, so they are never shown.
 */
export function outletName(
  outlet: string | null | undefined,
  url: string | null | undefined,
  position: number,
): string {
  return describeOutlet(outlet, url, position).name;
}

/** An outlet's display name, and whether it is known (a name or a host) or only a "Source N" stand-in. */
function describeOutlet(
  outlet: string | null | undefined,
  url: string | null | undefined,
  position: number,
): { readonly name: string; readonly known: boolean } {
  const named = outlet ? oneLine(outlet) : '';
  if (named) return { name: truncateAtWord(named, 60), known: true };
  const host = hostLabel(url);
  // A no-break space: on a phone the label otherwise wraps as "— Source" / "1", which reads as a
  // stray number (seen in the seeds' 375 px screenshots). The plain text wraps on it like a space.
  return host ? { name: host, known: true } : { name: `Source\u00a0${position}`, known: false };
}

export interface Outlet {
  readonly name: string;
  url: string | null;
  /** False for a "Source N" stand-in: one article whose outlet nobody named. */
  readonly known: boolean;
}

/** Distinct outlets of a story (articles first, then duplicates), first-seen URL per outlet. */
export function storyOutlets(story: DigestStory): Outlet[] {
  const byKey = new Map<string, Outlet>();
  const add = ({ name, known }: { name: string; known: boolean }, url: string | null) => {
    const key = name.toLowerCase();
    const existing = byKey.get(key);
    if (!existing) byKey.set(key, { name, url, known });
    else if (!existing.url && url) existing.url = url;
  };
  story.articles.forEach((a, i) => {
    add(describeOutlet(a.outlet, a.url, i + 1), safeHttpUrl(a.url));
  });
  story.duplicates.forEach((d, j) => {
    add(describeOutlet(d.outlet, d.url, story.articles.length + j + 1), safeHttpUrl(d.url));
  });
  for (const o of story.outlets ?? []) {
    const name = oneLine(o);
    if (name) add({ name: truncateAtWord(name, 60), known: true }, null);
  }
  return [...byKey.values()];
}

/** A numbered source a reader cannot otherwise identify, named by its own title. */
export interface SourceEntry {
  /** "Source 2", as the attributions show it. */
  readonly label: string;
  readonly title: string;
}

/** Titles longer than this are cut at a word: the list maps numbers to articles, it is not a headline. */
const MAX_SOURCE_TITLE_CHARS = 120;

/**
 * The story's "Source N" stand-ins (articles with neither outlet nor web address) mapped to their own
 * titles, so a reader can tell "Source 2" from "Source 3"; a duplicate with no outlet is named by the
 * article it copies. Empty when every source has a name.
 */
export function sourceListOf(story: DigestStory): SourceEntry[] {
  const titleOf = new Map(story.articles.map((a) => [a.source, a.title]));
  const entry = (label: string, title: string | null | undefined, copy: boolean): SourceEntry => {
    const own = title ? truncateAtWord(oneLine(title), MAX_SOURCE_TITLE_CHARS) : '';
    return { label, title: own ? (copy ? `${own} (a copy)` : own) : 'untitled' };
  };
  const out: SourceEntry[] = [];
  const seen = new Set<string>();
  story.articles.forEach((a, i) => {
    const d = describeOutlet(a.outlet, a.url, i + 1);
    if (!d.known && !seen.has(d.name)) {
      seen.add(d.name);
      out.push(entry(d.name, a.title, false));
    }
  });
  story.duplicates.forEach((dup, j) => {
    const d = describeOutlet(dup.outlet, dup.url, story.articles.length + j + 1);
    if (!d.known && !seen.has(d.name)) {
      seen.add(d.name);
      out.push(entry(d.name, titleOf.get(dup.duplicateOf), true));
    }
  });
  return out;
}

/**
 * How widely a story was reported, without calling an unnamed article an outlet: known outlets are
 * counted as outlets, each "Source N" stand-in as one article ("3 articles" when none is named).
 */
export function coverage(outlets: readonly Outlet[]): { readonly label: string; readonly line: string } {
  const known = outlets.filter((o) => o.known).length;
  const unknown = outlets.length - known;
  if (unknown === 0) {
    const label = plural(known, 'outlet', 'outlets');
    return { label, line: `Reported by ${label}` };
  }
  if (known === 0) {
    const label = plural(unknown, 'article', 'articles');
    return { label, line: `Reported in ${label}` };
  }
  const others = plural(unknown, 'other article', 'other articles');
  const outletsLabel = plural(known, 'outlet', 'outlets');
  return { label: `${outletsLabel}, ${others}`, line: `Reported by ${outletsLabel} and in ${others}` };
}

/** The lead-in to the outlets a summary does not quote, worded like `coverage`. */
export function alsoReportedLabelOf(outlets: readonly Outlet[]): string | null {
  if (outlets.length === 0) return null;
  const known = outlets.filter((o) => o.known).length;
  const unknown = outlets.length - known;
  if (unknown === 0) return `Also reported by ${plural(known, 'outlet', 'outlets')}`;
  const others = plural(unknown, 'other article', 'other articles');
  return known === 0
    ? `Also reported in ${others}`
    : `Also reported by ${plural(known, 'outlet', 'outlets')} and in ${others}`;
}
