import { describe, expect, it } from 'vitest';
import { ClusterIndex } from '../../../functions/core/stories/cluster.ts';
import type { TermVector } from '../../../functions/core/stories/terms.ts';

function vector(weights: Record<string, number>): TermVector {
  return new Map(Object.entries(weights));
}

describe('ClusterIndex.relatedStories (threads across days)', () => {
  it("finds an older story even when the queried story's own distinctive terms outnumber the query slots", () => {
    const index = new ClusterIndex();
    // The earlier story: talks on the Belarus border.
    const earlier = index.intern(vector({ belarus: 1, talks: 1, delegation: 1, border: 1 }));
    index.addDocument(earlier);
    index.addToStory('earlier', earlier);
    // The follow-up: the same talks and delegation, plus forty words of its own, each weighted higher.
    const own: Record<string, number> = { belarus: 0.5, talks: 0.5, delegation: 0.5 };
    for (let i = 0; i < 40; i++) own[`word${i}`] = 1;
    const later = index.intern(vector(own));
    index.addDocument(later);
    index.addToStory('later', later);
    // Other stories keep the shared words common enough that the follow-up's own words rank first.
    for (let k = 0; k < 5; k++) {
      const filler = index.intern(vector({ [`other${k}`]: 1, [`more${k}`]: 1 }));
      index.addDocument(filler);
      index.addToStory(`filler${k}`, filler);
    }
    const related = index.relatedStories('later', (id) => id !== 'later');
    expect(related.map((r) => r.storyId)).toContain('earlier');
    expect(related.find((r) => r.storyId === 'earlier')?.cosine ?? 0).toBeGreaterThan(0);
  });
});
