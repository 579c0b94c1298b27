/**
 * TOPIC_TERM_DISCOUNT (cluster.ts): a term that indexes several stories is a topic's word, and an
 * article's weight on it is discounted, so its similarity to a story of another event of the same
 * topic falls as that topic's stories multiply, while its own event's words keep their full weight.
 */
import { describe, expect, it } from 'vitest';
import { ClusterIndex } from '../../../functions/core/stories/cluster.ts';
import { TOPIC_TERM_DISCOUNT } from '../../../functions/core/stories/posting-index.ts';
import type { TermVector } from '../../../functions/core/stories/terms.ts';

const vector = (weights: Record<string, number>): TermVector => new Map(Object.entries(weights));

/** Story `missiles` of one event; optionally two more stories of the same country. */
function indexWith(otherStoriesOfTheTopic: boolean): ClusterIndex {
  const index = new ClusterIndex();
  const add = (id: string, v: TermVector) => index.addToStory(id, index.intern(v));
  add('missiles', vector({ pyongyang: 0.6, kim: 0.5, missile: 0.5, hokkaido: 0.4 }));
  if (otherStoriesOfTheTopic) {
    add('oil', vector({ pyongyang: 0.6, kim: 0.5, tanker: 0.5, sanctions: 0.4 }));
    add('satellite', vector({ pyongyang: 0.6, kim: 0.5, rocket: 0.5, sohae: 0.4 }));
  }
  return index;
}

/** A report of a further event of the topic: the country, its leader, and words of its own. */
const OVERTURE = vector({ pyongyang: 0.6, kim: 0.5, hotline: 0.5, olympics: 0.4 });

function cosineTo(index: ClusterIndex, storyId: string, query: TermVector): number {
  return index.rank(index.intern(query), () => true).find((s) => s.storyId === storyId)?.cosine ?? 0;
}

describe('topic words are discounted by the stories they index', () => {
  it('is a mild discount', () => {
    expect(TOPIC_TERM_DISCOUNT).toBeGreaterThan(0);
    expect(1 / (1 + TOPIC_TERM_DISCOUNT * Math.log(32))).toBeGreaterThan(0.5);
  });

  it('lowers a same-topic report’s cosine with another event once the topic has several stories', () => {
    const alone = cosineTo(indexWith(false), 'missiles', OVERTURE);
    const amongOthers = cosineTo(indexWith(true), 'missiles', OVERTURE);
    expect(alone).toBeGreaterThan(0);
    expect(amongOthers).toBeLessThan(alone * 0.95);
  });

  it('leaves a report of the same event close to its story: its own words carry it', () => {
    const sameEvent = vector({ pyongyang: 0.6, kim: 0.5, missile: 0.5, hokkaido: 0.4 });
    const amongOthers = cosineTo(indexWith(true), 'missiles', sameEvent);
    expect(amongOthers).toBeGreaterThan(0.85);
    expect(amongOthers - cosineTo(indexWith(true), 'oil', sameEvent)).toBeGreaterThan(0.4);
  });
});

describe('the young-story re-check weighs a member as the join weighed it', () => {
  it('a member’s cosine with the rest of its story is the cosine rank gives it against the rest alone', () => {
    const topic = (index: ClusterIndex) => {
      index.addToStory(
        'oil',
        index.intern(vector({ pyongyang: 0.6, kim: 0.5, tanker: 0.5, sanctions: 0.4 })),
      );
      index.addToStory(
        'satellite',
        index.intern(vector({ pyongyang: 0.6, kim: 0.5, rocket: 0.5, sohae: 0.4 })),
      );
    };
    const missiles = vector({ pyongyang: 0.6, kim: 0.5, missile: 0.5, hokkaido: 0.4 });
    // The overture joined the missile story: the re-check compares it with the rest of that story.
    const joined = new ClusterIndex();
    joined.addToStory('missiles', joined.intern(missiles));
    joined.addToStory('missiles', joined.intern(OVERTURE));
    topic(joined);
    // The same decision as the join made it: the overture arriving at the story without it.
    const arriving = new ClusterIndex();
    arriving.addToStory('missiles', arriving.intern(missiles));
    topic(arriving);
    const rest = joined.cosineToRest('missiles', joined.intern(OVERTURE));
    expect(rest).toBeGreaterThan(0);
    expect(rest).toBeCloseTo(cosineTo(arriving, 'missiles', OVERTURE), 5);
  });
});
