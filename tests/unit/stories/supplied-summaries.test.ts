/**
 * Summaries computed elsewhere (StoryEngine.summaryJobs → supplySummaries, as worker threads do for a big
 * local batch) are used only for the story and pool they were computed for: a job's summary is
 * summariseJob's, and a stale one is recomputed, so a supplier can cost time but never a wrong digest.
 */
import { describe, expect, it } from 'vitest';
import { StoryEngine } from '../../../functions/core/stories/story-engine.ts';
import { type StorySummary, summariseJob } from '../../../functions/core/stories/story-summary.ts';
import { datedArticle } from '../../support/articles.ts';

const ARRIVED = new Date('2022-03-01T08:00:00Z');
const DAY = '2022-02-28';

function roomWithOneStory(): StoryEngine {
  const room = StoryEngine.empty();
  room.ingest({
    source: 'a.txt',
    article: datedArticle(
      'Flood closes the river road',
      'The river burst its banks on Monday and closed the main road into town. Council crews placed sandbags along the embankment through the night. Residents of low streets were told to move cars to higher ground.',
      DAY,
    ),
    arrivedAt: ARRIVED,
  });
  return room;
}

/** A summary no summariser would write, to see whether the engine used the supplied one. */
const MARKED: StorySummary = { headline: 'Supplied headline', summary: [], figures: [], disagreements: [] };

describe('supplied summaries', () => {
  it('lists one job per story to summarise, whose summary is what the engine would write', () => {
    const room = roomWithOneStory();
    const jobs = room.summaryJobs();
    expect(jobs).toHaveLength(1);
    const expected = summariseJob(jobs[0]!);
    expect(room.digest(DAY).stories[0]).toMatchObject({ headline: expected.headline });
    expect(room.summaryJobs()).toEqual([]);
  });

  it('uses a supplied summary for the pool it was computed for', () => {
    const room = roomWithOneStory();
    const jobs = room.summaryJobs();
    room.supplySummaries(jobs, [MARKED]);
    expect(room.digest(DAY).stories[0]?.headline).toBe('Supplied headline');
  });

  it('recomputes a summary supplied for another pool', () => {
    const room = roomWithOneStory();
    const [job] = room.summaryJobs();
    const stale = { ...job!, sources: job!.sources.map((s) => ({ ...s, text: `${s.text} Changed.` })) };
    room.supplySummaries([stale], [MARKED]);
    expect(room.digest(DAY).stories[0]?.headline).toBe(summariseJob(job!).headline);
  });

  it('refuses summaries that do not match the jobs one to one', () => {
    const room = roomWithOneStory();
    expect(() => room.supplySummaries(room.summaryJobs(), [])).toThrow(/0 summaries for 1 summary jobs/);
  });
});
