/**
 * Merging two stories under concurrent writers: a story item read by one batch can still list an
 * article a later batch moved, or one the surviving story already lists. The merge takes over only what
 * is the merged story's own, so no story lists an article twice or one that its article item says is
 * elsewhere.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../../functions/core/extract/index.ts';
import type { StoryState } from '../../../functions/core/stories/state.ts';
import { StoryEngine } from '../../../functions/core/stories/story-engine.ts';
import { mergeStories } from '../../../functions/core/stories/story-merging.ts';
import type { WorkingSet } from '../../../functions/core/stories/working-set.ts';
import { SEEDS_DIR } from './seed-loader.ts';

const ARRIVED = new Date('2022-03-11T08:00:00Z');

/** The seeds' working set: one story of 000–002, and 003 and 004 alone. */
async function seedStories(): Promise<{
  ws: WorkingSet;
  storyOf: (seed: string) => StoryState;
  idOf: (seed: string) => string;
}> {
  const room = StoryEngine.empty();
  const ids = new Map<string, string>();
  for (const source of readdirSync(SEEDS_DIR).sort()) {
    const bytes = new Uint8Array(readFileSync(join(SEEDS_DIR, source)));
    const article = await extractArticle({ key: source, bytes, arrivedAt: ARRIVED });
    const outcome = room.ingest({ source, article, arrivedAt: ARRIVED });
    ids.set(source.slice(0, 3), outcome.articleId);
  }
  // The engine keeps its working set private; this test reaches it to stage a stale story item.
  const ws = (room as unknown as { ws: WorkingSet }).ws;
  const idOf = (seed: string) => ids.get(seed)!;
  const storyOf = (seed: string) => ws.stories.get(ws.byId.get(idOf(seed))!.storyId!)!;
  return { ws, storyOf, idOf };
}

describe('mergeStories', () => {
  it('moves the merged story’s own members and drops the merged story', async () => {
    const { ws, storyOf, idOf } = await seedStories();
    const into = storyOf('004');
    const from = storyOf('003');
    expect(into.id).not.toBe(from.id);
    mergeStories(ws, into, from);
    expect(into.members).toEqual([idOf('004'), idOf('003')]);
    expect(ws.byId.get(idOf('003'))!.storyId).toBe(into.id);
    expect(ws.stories.has(from.id)).toBe(false);
  });

  it('does not list again an article the surviving story already lists', async () => {
    const { ws, storyOf, idOf } = await seedStories();
    const into = storyOf('004');
    const from = storyOf('003');
    // A stale listing: the surviving story already names 003.
    into.members.push(idOf('003'));
    mergeStories(ws, into, from);
    expect(into.members.filter((id) => id === idOf('003'))).toHaveLength(1);
  });

  it('leaves an article its article item places in a third story where it is', async () => {
    const { ws, storyOf, idOf } = await seedStories();
    const into = storyOf('004');
    const from = storyOf('003');
    const third = storyOf('000');
    // A stale listing: the merged story's item still names 000, which another batch placed elsewhere.
    from.members.push(idOf('000'));
    mergeStories(ws, into, from);
    expect(into.members).toEqual([idOf('004'), idOf('003')]);
    expect(ws.byId.get(idOf('000'))!.storyId).toBe(third.id);
    expect(third.members).toContain(idOf('000'));
  });
});
