/**
 * Retention (issue 15): a story takes no articles once its last one arrived more than activeDays
 * before; a later report of its event founds a new story that follows it up.
 */
import { describe, expect, it } from 'vitest';
import { StoryEngine } from '../../../functions/core/stories/story-engine.ts';
import { loadSeeds } from './seed-loader.ts';

/** Seed 000 on its day, then seed 001 (the same talks) dated and arriving `lateDays` later. */
function lateReport(
  engine: StoryEngine,
  lateDays: number,
): { first: string; late: string; followUp: string | null } {
  const [seed000, seed001] = loadSeeds();
  const first = engine.ingest({
    source: seed000!.source,
    article: seed000!.article,
    arrivedAt: new Date('2022-02-28T12:00:00Z'),
  });
  const when = new Date(Date.UTC(2022, 1, 28 + lateDays, 12));
  const day = when.toISOString().slice(0, 10);
  const late = engine.ingest({
    source: seed001!.source,
    article: { ...seed001!.article, date: { day, source: 'metadata' } },
    arrivedAt: when,
  });
  if (first.kind !== 'story' || late.kind !== 'story') throw new Error('expected two placed articles');
  const story = engine.digest(late.day).stories.find((s) => s.id === late.storyId);
  return { first: first.storyId, late: late.storyId, followUp: story?.followUpTo?.storyId ?? null };
}

describe('retention', () => {
  it('without activeDays, a report weeks later still joins its event', () => {
    const { first, late } = lateReport(StoryEngine.empty(), 40);
    expect(late).toBe(first);
  });

  it('with activeDays 30, a report 40 days later founds a story that follows the retired one up', () => {
    const { first, late, followUp } = lateReport(StoryEngine.empty({ activeDays: 30 }), 40);
    expect(late).not.toBe(first);
    expect(followUp).toBe(first);
  });

  it('with activeDays 30, a report 20 days later still joins', () => {
    const { first, late } = lateReport(StoryEngine.empty({ activeDays: 30 }), 20);
    expect(late).toBe(first);
  });
});
