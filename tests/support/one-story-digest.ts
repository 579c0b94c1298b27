/** The smallest real briefing: one story from one outlet, for tests about sending rather than content. */
import type { SendDependencies } from '../../functions/app/send-briefing.ts';
import type { Day, Digest } from '../../functions/core/types.ts';
import type { Subscriber } from '../../functions/ports.ts';
import { MemorySubscriberStore } from './memory-subscribers.ts';

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

/** A digest store holding only `digest`: what a send reads. */
export function oneDigestStore(digest: Digest): SendDependencies['store'] {
  return {
    getDigest: async (day: Day) => (day === digest.date ? digest : null),
    listDigestDays: async () => [digest.date],
  } as SendDependencies['store'];
}

/** A subscriber store that lists `subscribers` and changes nothing. */
export function fixedSubscribers(subscribers: readonly Subscriber[]): SendDependencies['subscribers'] {
  return new MemorySubscriberStore(subscribers);
}
