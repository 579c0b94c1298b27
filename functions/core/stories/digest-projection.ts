/**
 * The digest projection: what the engine's articles and stories look like to a reader, as the
 * article records and each day's digest (DESIGN.md §3). Reads only; derived story data must be fresh.
 */
import type { ArticleRecord, DateSource, Day, Digest, DigestStory } from '../types.ts';
import { followUpLink } from './follow-ups.ts';
import type { ArticleState, StoryState } from './state.ts';
import { dayOf, storyDay } from './story-days.ts';
import type { WorkingSet } from './working-set.ts';

export function articleRecords(ws: WorkingSet): ArticleRecord[] {
  return [...ws.articles.values()].map((a) =>
    articleRecord(
      a,
      a.storyId ? ws.stories.get(a.storyId) : undefined,
      a.duplicateOf ? (ws.byId.get(a.duplicateOf)?.source ?? null) : null,
    ),
  );
}

/** One article's record, given its story (if any) and the source of the original it duplicates (if any). */
export function articleRecord(
  a: ArticleState,
  story: StoryState | undefined,
  duplicateOfSource: string | null,
): ArticleRecord {
  const placed = placement(a, story);
  return {
    source: a.source,
    id: a.id,
    title: a.title,
    text: a.text,
    publishedAt: placed?.publishedAt ?? null,
    dateSource: placed?.dateSource ?? null,
    storyId: a.storyId,
    duplicateOf: duplicateOfSource,
    rejected: a.rejected,
    outlet: a.outlet,
    url: a.url,
    similarity: a.similarity,
    arrivedAt: a.arrivedAt,
    contentHash: a.contentHash ?? undefined,
  } satisfies ArticleRecord;
}

/** An article's day and date source: its own date, else its story's, else its arrival day. */
function placement(
  a: ArticleState,
  story: StoryState | undefined,
): { publishedAt: Day; dateSource: DateSource } | null {
  if (a.rejected !== null) return null;
  if (a.date) return { publishedAt: a.date.day, dateSource: a.date.source };
  const arrival = dayOf(new Date(a.arrivedAt));
  if (!story) return { publishedAt: arrival, dateSource: 'arrival' };
  const day = storyDay(story);
  if (story.dateCounts.length === 0 && day === arrival) return { publishedAt: day, dateSource: 'arrival' };
  return { publishedAt: day, dateSource: 'story' };
}

/** Every day some story is on, in order. */
export function storyDays(ws: WorkingSet): Day[] {
  const set = new Set<Day>();
  for (const st of ws.stories.values()) set.add(storyDay(st));
  return [...set].sort();
}

/** The day's digest: its stories, most covered first. */
export function digestOf(ws: WorkingSet, day: Day): Digest {
  const stories = [...ws.stories.values()].filter((st) => storyDay(st) === day);
  const coverage = (st: StoryState): number => st.members.length + st.duplicates.length;
  stories.sort((a, b) => coverage(b) - coverage(a) || (a.id < b.id ? -1 : 1));
  return { schemaVersion: 1, date: day, stories: stories.map((st) => storyView(ws, st)) };
}

function storyView(ws: WorkingSet, st: StoryState): DigestStory {
  const articles = st.members.map((id) => {
    const a = ws.byId.get(id)!;
    const placed = placement(a, a.storyId ? ws.stories.get(a.storyId) : undefined)!;
    return {
      id: a.id,
      source: a.source,
      title: a.title,
      outlet: a.outlet,
      url: a.url,
      publishedAt: placed.publishedAt,
      dateSource: placed.dateSource,
    };
  });
  const duplicates = st.duplicates.map((id) => {
    const d = ws.byId.get(id)!;
    return {
      source: d.source,
      duplicateOf: ws.byId.get(d.duplicateOf ?? '')?.source ?? '',
      similarity: d.similarity ?? 1,
      outlet: d.outlet,
      url: d.url,
    };
  });
  const outlets: string[] = [];
  for (const o of [...articles.map((a) => a.outlet), ...duplicates.map((d) => d.outlet)]) {
    if (o && !outlets.includes(o)) outlets.push(o);
  }
  const parent = st.followUpTo ? ws.stories.get(st.followUpTo) : undefined;
  return {
    id: st.id,
    headline: st.headline,
    summary: st.summary,
    articles,
    duplicates,
    figures: st.figures,
    disagreements: st.disagreements,
    followUpTo: parent
      ? followUpLink(
          parent.id,
          storyDay(parent),
          parent.headline,
          parent.summary.map((s) => ws.byId.get(s.articleId)?.url),
        )
      : null,
    outlets,
  };
}
