/**
 * Named-entity evidence: an article giving MIN_NAMES_FOR_NAME_EVIDENCE names or more joins only a
 * story that names one of them. Templated copy about different events (the load corpus: one template
 * per facility kind, made-up towns, people and firms) shares most of its wording and none of its
 * names; on the cosine alone it piled into one story per template.
 */
import { describe, expect, it } from 'vitest';
import { NAME_PART_MARK, nameParts } from '../../../functions/core/stories/article-names.ts';
import type { EngineState } from '../../../functions/core/stories/state.ts';
import { StoryEngine } from '../../../functions/core/stories/story-engine.ts';
import { MIN_NAMES_FOR_NAME_EVIDENCE } from '../../../functions/core/stories/story-names.ts';
import { articleTerms } from '../../../functions/core/stories/terms.ts';
import { generatedArticle } from '../../hostile/articles.ts';
import { datedArticle } from '../../support/articles.ts';

const ARRIVED = new Date('2022-03-08T09:00:00Z');
const DAY = '2022-03-01';
/** The load corpus repeats its facility kind (and so its wording) every this many articles. */
const KINDS = 25;

/** An article's names with the parts of its multi-word names, as the engine compares them. */
function namesOf(text: string, title: string | null = null): string[] {
  const names = articleTerms(title, text, null).names;
  return [...names, ...nameParts(names)];
}

/** Stories of the room's articles. */
function storyCount(room: StoryEngine): number {
  return new Set(room.records().map((r) => r.storyId)).size;
}

/** Reports of one template (one facility kind), each a different event, all on one day. */
function templated(count: number): { source: string; title: string; text: string }[] {
  return Array.from({ length: count }, (_, n) => {
    const g = generatedArticle(n * KINDS, 1);
    return { source: `templated-${n}.txt`, title: g.title, text: g.body };
  });
}

describe('article names', () => {
  it('keep multi-word names whole and lone capitalised words, and mark the words of multi-word names', () => {
    const names = namesOf('Officials met in Gomel on Monday, and Vera Nikzemgar said the talks went well.');
    expect(names).toContain('gomel');
    expect(names).toContain('vera_nikzemgar');
    expect(names).toContain(`${NAME_PART_MARK}vera`);
    expect(names).not.toContain('vera');
  });

  it('leave out lone abbreviations of two letters, which are mostly generic', () => {
    const names = namesOf('The local MP said the US embassy in Gomel was closed.');
    expect(names).not.toContain('mp');
    expect(names).toContain('gomel');
  });

  it('keep the capitalised word opening a sentence when a name follows it, so its generic half is not a lone name', () => {
    const names = namesOf('Analysts agreed. Ralvasba Group declined to comment on Tuesday.');
    expect(names).toContain('ralvasba_group');
    expect(names).not.toContain('group');
  });

  it('give the adjacent pairs of a longer name as parts', () => {
    expect(namesOf('A gunman opened fire in Las Vegas, Nevada on Sunday night.')).toContain(
      `${NAME_PART_MARK}las_vega`,
    );
  });
});

describe('templated copy about different events', () => {
  const reports = templated(6);

  it('gives each report enough names of its own, and none shared with another report', () => {
    const lists = reports.map((r) => namesOf(r.text, r.title));
    for (const names of lists)
      expect(names.filter((n) => !n.startsWith(NAME_PART_MARK)).length).toBeGreaterThanOrEqual(
        MIN_NAMES_FOR_NAME_EVIDENCE,
      );
    const whole = lists.map((names) => new Set(names.filter((n) => !n.startsWith(NAME_PART_MARK))));
    for (let i = 0; i < whole.length; i++)
      for (let j = i + 1; j < whole.length; j++)
        expect(
          [...whole[i]!].filter((n) => whole[j]!.has(n)),
          `reports ${i} and ${j}`,
        ).toEqual([]);
  });

  it('stays apart: one story per event, though the reports share most of their wording', () => {
    const room = StoryEngine.empty();
    for (const r of reports)
      room.ingest({ source: r.source, article: datedArticle(r.title, r.text, DAY), arrivedAt: ARRIVED });
    expect(storyCount(room)).toBe(reports.length);
  });

  it('stays apart after a restart, from names stored in the state and from states stored without them', () => {
    const first = StoryEngine.empty();
    for (const r of reports.slice(0, 3))
      first.ingest({ source: r.source, article: datedArticle(r.title, r.text, DAY), arrivedAt: ARRIVED });
    const state = first.toState();
    expect(state.articles.every((a) => (a.names?.length ?? 0) > 0)).toBe(true);
    const withoutNames: EngineState = {
      ...state,
      articles: state.articles.map(({ names: _names, ...a }) => a),
    };
    for (const stored of [state, withoutNames]) {
      const room = StoryEngine.fromState(JSON.parse(JSON.stringify(stored)));
      for (const r of reports.slice(3))
        room.ingest({ source: r.source, article: datedArticle(r.title, r.text, DAY), arrivedAt: ARRIVED });
      expect(storyCount(room)).toBe(reports.length);
    }
  });
});

describe('reports of one event', () => {
  const first = [
    'Ukrainian and Russian delegations met near Gomel on Monday for their first talks since the invasion began.',
    'Oleksii Reznikov, the defence minister, led the Ukrainian side, while Vladimir Medinsky headed the Russian team.',
    'The talks in Belarus lasted five hours and ended without a ceasefire, officials in Kyiv said.',
    'Volodymyr Zelensky had demanded an immediate withdrawal of troops before the meeting.',
  ].join(' ');
  const second = [
    'Negotiators from Kyiv and Moscow sat down on the border with Belarus on Monday.',
    'The delegation sent by Zelensky included Reznikov and the adviser Mykhailo Podolyak.',
    'Medinsky told reporters afterwards that the sides had found points of common ground near Gomel.',
    'A second round is expected within days, Podolyak said on Twitter.',
  ].join(' ');

  it('share a name, and still join one story', () => {
    const a = new Set(namesOf(first));
    expect(namesOf(second).some((n) => a.has(n) || a.has(`${NAME_PART_MARK}${n}`))).toBe(true);
    const room = StoryEngine.empty();
    room.ingest({
      source: 'talks-1.txt',
      article: datedArticle('Ukraine and Russia hold first talks in Belarus', first, DAY),
      arrivedAt: ARRIVED,
    });
    room.ingest({
      source: 'talks-2.txt',
      article: datedArticle('Kyiv and Moscow negotiators meet on the Belarus border', second, DAY),
      arrivedAt: ARRIVED,
    });
    expect(storyCount(room)).toBe(1);
  });
});
