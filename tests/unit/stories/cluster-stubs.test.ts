/**
 * Stub pages: a site serves the same line of furniture ("Chat with us in Facebook Messenger") as the
 * text of many unrelated articles. Identical stub text must not make two pages copies of one another;
 * a stub reprinted under the same headline still is, and long texts are copies whatever their headlines.
 */
import { describe, expect, it } from 'vitest';
import { StoryEngine } from '../../../functions/core/stories/story-engine.ts';
import { isStubText, MIN_COPY_SHINGLES, sameHeadline } from '../../../functions/core/stories/stub-pages.ts';
import type { ExtractedArticle } from '../../../functions/core/types.ts';

const ARRIVED = new Date('2024-05-12T08:00:00Z');
const STUB = "Chat with us in Facebook Messenger. Find out what's happening in the world as it unfolds.";

function page(title: string, text: string): ExtractedArticle {
  return {
    format: 'html',
    title,
    text,
    url: null,
    outlet: 'example.com',
    date: { day: '2024-05-11', source: 'metadata' },
    description: null,
  };
}

const LONG = Array.from(
  { length: 12 },
  (_, i) =>
    `Paragraph ${i} of the wire report describes the harbour fire in Valparaiso and the ${i + 3} crews that fought it.`,
).join('\n\n');

describe('stub pages', () => {
  it('are not copies of each other when their headlines differ', () => {
    const room = StoryEngine.empty();
    room.ingest({
      source: 'a.html',
      article: page('Mass shooting at a concert in Las Vegas', STUB),
      arrivedAt: ARRIVED,
    });
    const b = room.ingest({
      source: 'b.html',
      article: page('China accused of letting oil into North Korea', STUB),
      arrivedAt: ARRIVED,
    });
    expect(b.kind).toBe('story');
  });

  it('are copies when the headline agrees too', () => {
    const room = StoryEngine.empty();
    room.ingest({
      source: 'a.html',
      article: page('Mass shooting at a concert in Las Vegas', STUB),
      arrivedAt: ARRIVED,
    });
    const b = room.ingest({
      source: 'b.html',
      article: page('Mass Shooting at a Concert in Las Vegas', STUB),
      arrivedAt: ARRIVED,
    });
    expect(b.kind).toBe('duplicate');
  });

  it('leave long reprints alone: a reworded headline does not hide a copied text', () => {
    const room = StoryEngine.empty();
    room.ingest({
      source: 'a.html',
      article: page('Fire sweeps Valparaiso harbour', LONG),
      arrivedAt: ARRIVED,
    });
    const b = room.ingest({
      source: 'b.html',
      article: page('Crews battle blaze at Chilean port', LONG),
      arrivedAt: ARRIVED,
    });
    expect(b.kind).toBe('duplicate');
  });

  it('are told by their shingle count; headlines compare by their words', () => {
    expect(isStubText(MIN_COPY_SHINGLES - 1)).toBe(true);
    expect(isStubText(MIN_COPY_SHINGLES)).toBe(false);
    expect(sameHeadline('Fire sweeps  harbour!', 'fire sweeps harbour')).toBe(true);
    expect(sameHeadline('Fire sweeps harbour', 'Fire sweeps port')).toBe(false);
    expect(sameHeadline(null, null)).toBe(true);
    expect(sameHeadline('Fire', null)).toBe(false);
  });
});
