/**
 * Issue 8: topic-level similarity (same country, same days, different events) must not merge
 * stories, while two outlets' own reports of one event must. Synthetic articles written for this
 * test: each pair of reports shares the event's names and figures, and the two events share
 * only the country, its capital and its officials.
 */
import { describe, expect, it } from 'vitest';
import { StoryEngine } from '../../../functions/core/stories/story-engine.ts';
import type { ExtractedArticle } from '../../../functions/core/types.ts';
import { datedArticle } from '../../support/articles.ts';

const ARRIVED = new Date('2024-05-12T08:00:00Z');

const article = datedArticle;

const QUAKE_A = article(
  'Magnitude 7.1 earthquake strikes northern Chile near Antofagasta',
  [
    'A magnitude 7.1 earthquake struck northern Chile on Saturday, shaking the port city of Antofagasta and cutting power to thousands of homes.',
    'The national seismology centre said the quake hit at a depth of 40 kilometres, 60 kilometres south-east of Antofagasta.',
    'The navy briefly issued a tsunami warning for the coast before lifting it an hour later.',
    'Interior Minister Carolina Toha said in Santiago that two people had died and 14 were injured when walls collapsed in Antofagasta and Calama.',
    'Copper mines in the Atacama desert halted work to inspect shafts and tailings dams.',
  ].join('\n\n'),
  '2024-05-11',
);

const QUAKE_B = article(
  'Quake kills two in Chile, copper mines halt work',
  [
    'Two people were killed and 14 hurt when a powerful 7.1 magnitude earthquake rocked the Antofagasta region of Chile, officials said.',
    'Buildings swayed in Antofagasta and Calama, and a tsunami warning was lifted after the navy found no dangerous waves.',
    'Miners in the Atacama stopped operations so that engineers could check the tailings dams and shafts after the earthquake.',
    'Interior Minister Carolina Toha told reporters in Santiago that electricity was being restored across the north.',
  ].join('\n\n'),
  '2024-05-11',
);

const VOTE_A = article(
  'Chile Senate approves pension reform after marathon session',
  [
    "Chile's Senate approved the government's pension reform on Saturday after a 14-hour session in Valparaiso, handing President Gabriel Boric a long-sought win.",
    'The bill raises employer contributions by six percentage points and creates a public fund alongside the private AFP pension managers.',
    'Senators voted 26 to 21 in favour; opposition lawmakers said the employer levy would cost jobs.',
    'Labour Minister Jeannette Jara said in Santiago that the reform would lift the lowest pensions within two years.',
  ].join('\n\n'),
  '2024-05-11',
);

const VOTE_B = article(
  'Boric wins Senate vote on pensions overhaul',
  [
    'President Gabriel Boric secured Senate approval for an overhaul of the pension system, with senators voting 26 to 21 in Valparaiso.',
    'The reform adds a six-point employer contribution and sets up a state fund to compete with the AFP managers that have run private accounts since 1981.',
    'Labour Minister Jeannette Jara said the lowest pensions would rise within two years, while business groups warned of the cost to jobs.',
    'The bill now returns to the lower house in Valparaiso for a final vote.',
  ].join('\n\n'),
  '2024-05-11',
);

function storiesOf(order: readonly (readonly [string, ExtractedArticle])[]): Map<string, string> {
  const room = StoryEngine.empty();
  const storyBySource = new Map<string, string>();
  for (const [source, a] of order) {
    const outcome = room.ingest({ source, article: a, arrivedAt: ARRIVED });
    if (outcome.kind !== 'story') throw new Error(`${source} was not clustered: ${outcome.kind}`);
  }
  for (const r of room.records()) storyBySource.set(r.source, r.storyId ?? '');
  return storyBySource;
}

describe('same-event clustering versus same-topic stories', () => {
  const orders: [string, (readonly [string, ExtractedArticle])[]][] = [
    [
      'events interleaved',
      [
        ['quake-a', QUAKE_A],
        ['vote-a', VOTE_A],
        ['quake-b', QUAKE_B],
        ['vote-b', VOTE_B],
      ],
    ],
    [
      'one event first',
      [
        ['vote-b', VOTE_B],
        ['vote-a', VOTE_A],
        ['quake-b', QUAKE_B],
        ['quake-a', QUAKE_A],
      ],
    ],
  ];

  for (const [name, order] of orders) {
    it(`keeps an earthquake and a Senate vote in the same country on the same day apart (${name})`, () => {
      const story = storiesOf(order);
      expect(story.get('quake-a')).toBe(story.get('quake-b'));
      expect(story.get('vote-a')).toBe(story.get('vote-b'));
      expect(story.get('quake-a')).not.toBe(story.get('vote-a'));
    });
  }
});
