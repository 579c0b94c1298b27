/** The smallest real briefing: one story from one outlet, for tests about sending rather than content. */
import type { Day, Digest } from '../../functions/core/types.ts';

export function oneStoryDigest(day: Day): Digest {
  return {
    schemaVersion: 1,
    date: day,
    stories: [
      {
        id: 's1',
        headline: 'Russia and Ukraine start ceasefire talks',
        summary: [
          { text: 'Talks between Russian and Ukrainian officials began on Monday.', articleId: 'a1' },
        ],
        articles: [
          {
            id: 'a1',
            source: '000.txt',
            title: 'Talks',
            outlet: 'Reuters',
            url: null,
            publishedAt: day,
            dateSource: 'text',
          },
        ],
        duplicates: [],
      },
    ],
  };
}
