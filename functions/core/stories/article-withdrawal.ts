/**
 * Taking an article version out of the engine (it is replaced, rejected, or re-placed by a young
 * story's re-check): out of its story, the duplicate index and the cluster index, and a story left
 * without members is dropped.
 */
import type { ArticleState, StoryState } from './state.ts';
import { addDateCount, storyDay } from './story-days.ts';
import { removeFromPool } from './summary-pool.ts';
import type { WorkingSet } from './working-set.ts';

/**
 * Withdraws an article version and the duplicates that pointed at it; returns those duplicates'
 * ids, to be placed again.
 */
export function withdrawArticle(ws: WorkingSet, a: ArticleState): string[] {
  const deps = ws.duplicates.takeDependents(a.id);
  for (const depId of deps) {
    const dep = ws.byId.get(depId);
    if (dep) withdrawOne(ws, dep);
  }
  withdrawOne(ws, a);
  return deps;
}

function withdrawOne(ws: WorkingSet, a: ArticleState): void {
  if (a.rejected !== null || a.storyId === null) return;
  const story = ws.stories.get(a.storyId);
  if (a.duplicateOf !== null) {
    ws.duplicates.removeDependent(a.duplicateOf, a.id);
    if (story) {
      story.duplicates = story.duplicates.filter((x) => x !== a.id);
      ws.markChanged(storyDay(story));
    }
  } else {
    ws.duplicates.removeOriginal(a);
    a.lsh = [];
    const vec = ws.members.vectorOf(a, ws.cluster);
    ws.cluster.removeDocument(vec);
    if (story) {
      const before = storyDay(story);
      ws.cluster.removeFromStory(story.id, vec);
      story.members = story.members.filter((x) => x !== a.id);
      ws.names.count(story.id, ws.names.namesOf(a), -1);
      if (a.date) addDateCount(story, a.date.day, -1);
      ws.markChanged(before);
      if (story.members.length === 0) {
        dropStory(ws, story);
      } else {
        if (removeFromPool(story, a.id)) ws.dirty.add(story.id);
        const after = storyDay(story);
        if (after !== before) ws.dayMoved(story, before);
        ws.markChanged(after);
      }
    }
  }
  a.storyId = null;
  a.duplicateOf = null;
  a.similarity = null;
}

/** Removes a story; its duplicates lose their story and its followers their link. */
export function dropStory(ws: WorkingSet, story: StoryState): void {
  for (const dupId of story.duplicates) {
    const dup = ws.byId.get(dupId);
    if (dup) dup.storyId = null;
  }
  // The parent's followers are stored with it: has() makes sure it was read.
  if (story.followUpTo && ws.stories.has(story.followUpTo))
    ws.followers.get(story.followUpTo)?.delete(story.id);
  for (const f of ws.followers.get(story.id) ?? []) {
    const fs = ws.stories.get(f);
    if (fs) {
      fs.followUpTo = null;
      ws.markChanged(storyDay(fs));
    }
  }
  ws.followers.delete(story.id);
  ws.stories.delete(story.id);
  ws.names.forget(story.id);
  ws.dirty.delete(story.id);
}
