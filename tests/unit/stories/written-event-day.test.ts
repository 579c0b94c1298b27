/**
 * Time proximity from the event day an article writes (assign.ts writtenEventDay): a page dated when
 * it was fetched or re-issued, long after the event, is still compared with the event's story when
 * its text says when the event happened; without that date it stays out of reach of a story more
 * than the time window away.
 */
import { describe, expect, it } from 'vitest';
import { articleGap, TIME_WINDOW_DAYS, writtenEventDay } from '../../../functions/core/stories/assign.ts';
import { StoryEngine } from '../../../functions/core/stories/story-engine.ts';
import type { ExtractedArticle } from '../../../functions/core/types.ts';
import { datedArticle } from '../../support/articles.ts';

describe('writtenEventDay', () => {
  it('reads the first full date the text writes, in either order of day and month', () => {
    expect(
      writtenEventDay('The files were published on April 3, 2016, by a German paper.', '2017-11-30'),
    ).toBe('2016-04-03');
    expect(writtenEventDay('On 28th May 2016 a boy fell into the enclosure.', '2017-11-30')).toBe(
      '2016-05-28',
    );
  });

  it('takes only a date before the article’s own day, and only a real one', () => {
    expect(writtenEventDay('The summit is set for March 4, 2018.', '2017-11-30')).toBeNull();
    expect(writtenEventDay('Reported on February 30, 2016.', '2017-11-30')).toBeNull();
    expect(writtenEventDay('Officials met on Monday.', '2017-11-30')).toBeNull();
    expect(writtenEventDay('The files were published on April 3, 2016.', null)).toBeNull();
  });

  it('ignores a date within the time window: a later report recalling the day its story began is a follow-up', () => {
    expect(
      writtenEventDay('The second round follows talks that began on February 28, 2022.', '2022-03-04'),
    ).toBeNull();
  });

  it('measures the gap from whichever day is nearer the story', () => {
    const span = ['2016-04-04', '2016-04-09'] as const;
    expect(articleGap('2017-11-30', '2016-04-03', span)).toBe(1);
    expect(articleGap('2016-04-05', '2016-01-01', span)).toBe(0);
    expect(articleGap('2017-11-30', null, span)).toBeGreaterThan(TIME_WINDOW_DAYS);
    expect(articleGap(null, '2016-04-03', span)).toBeNull();
  });
});

const article = datedArticle;

const LEAK = [
  'Eleven million documents leaked from the Panamanian law firm Mossack Fonseca show how the rich and powerful hide money in offshore companies.',
  'The Panama Papers were obtained by the German newspaper Süddeutsche Zeitung and shared with the International Consortium of Investigative Journalists.',
  'Heads of state, their relatives and associates in dozens of countries are named in the files, which span four decades of shell companies.',
];

const REPORTS = [
  article('Panama Papers leak exposes offshore secrets of world leaders', LEAK.join('\n\n'), '2016-04-04'),
  article(
    'Mossack Fonseca files: what the Panama Papers reveal',
    [
      LEAK[1],
      LEAK[0],
      'Mossack Fonseca said it had done nothing wrong and that the documents were stolen.',
    ].join('\n\n'),
    '2016-04-05',
  ),
];

/** The same report re-served by a site's archive and dated when it was fetched, a year and a half on. */
function archivePage(writesTheDate: boolean): ExtractedArticle {
  const opening = writesTheDate
    ? 'On April 3, 2016, the German newspaper Süddeutsche Zeitung published the Panama Papers, eleven million documents leaked from the law firm Mossack Fonseca.'
    : 'The German newspaper Süddeutsche Zeitung published the Panama Papers, eleven million documents leaked from the law firm Mossack Fonseca.';
  return article(
    'Panama Papers: biggest leak in history names world leaders',
    [
      opening,
      LEAK[2],
      'The International Consortium of Investigative Journalists shared the offshore files with outlets worldwide.',
    ].join('\n\n'),
    '2017-11-30',
  );
}

function storyCount(page: ExtractedArticle): number {
  const room = StoryEngine.empty();
  const arrivedAt = new Date('2017-11-30T12:00:00Z');
  for (const [i, a] of [...REPORTS, page].entries())
    room.ingest({ source: `r${i}.txt`, article: a, arrivedAt });
  return new Set(room.records().map((r) => r.storyId)).size;
}

describe('an archive page dated when it was fetched', () => {
  it('joins the event its text dates', () => {
    expect(storyCount(archivePage(true))).toBe(1);
  });

  it('stays apart when its text writes no date: the story is beyond the time window', () => {
    expect(storyCount(archivePage(false))).toBe(2);
  });
});
