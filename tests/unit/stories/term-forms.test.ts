/**
 * The forms a term vector takes across a thread boundary (terms.ts): packed as two arrays, or numbered
 * in a worker's TermTable. The engine must intern each exactly as it interns the Map itself, and a
 * worker that forgets the terms of an answer that never arrived must send them again.
 */
import { describe, expect, it } from 'vitest';
import { ClusterIndex } from '../../../functions/core/stories/cluster.ts';
import { packTermVector, TermNumbering, TermTable } from '../../../functions/core/stories/term-numbering.ts';
import { articleTermVector } from '../../../functions/core/stories/terms.ts';
import { generatedArticle } from '../../hostile/articles.ts';

function vectorOf(index: number) {
  const [title = '', ...body] = generatedArticle(index).text.split('\n\n');
  return articleTermVector(title, body.join('\n\n'), null);
}

/** What the pool does with a worker's answer: append its new terms, then hand over the numbers. */
function received(table: TermTable, numbered: { ids: Int32Array; newTerms: string[] }) {
  table.terms.push(...numbered.newTerms);
  return { table, ids: numbered.ids };
}

describe('term vectors across threads', () => {
  const vectors = [0, 1, 2, 3, 1].map(vectorOf);

  it('intern to the same ids and weights packed, numbered or as a Map', () => {
    const byMap = new ClusterIndex();
    const byPacked = new ClusterIndex();
    const byNumber = new ClusterIndex();
    const numbering = new TermNumbering();
    const table = new TermTable();
    for (const vec of vectors) {
      const expected = byMap.intern(vec);
      const packed = packTermVector(vec);
      expect(byPacked.internPacked(packed)).toEqual(expected);
      const { ids } = received(table, numbering.number(packed));
      expect(byNumber.internNumbered({ table, ids, weights: packed.weights })).toEqual(expected);
    }
    // Each term crossed once: the table holds every distinct term of the five vectors, no more.
    expect(table.terms.length).toBe(new Set(vectors.flatMap((v) => [...v.keys()])).size);
  });

  it('sends again the terms of an answer that never reached the table', () => {
    const numbering = new TermNumbering();
    const table = new TermTable();
    const first = packTermVector(vectors[0]!);
    received(table, numbering.number(first));
    const before = numbering.size;
    const lost = numbering.number(packTermVector(vectors[1]!));
    expect(lost.newTerms.length).toBeGreaterThan(0);
    numbering.forgetSince(before);
    const again = numbering.number(packTermVector(vectors[1]!));
    expect(again).toEqual(lost);
    const index = new ClusterIndex();
    const { ids } = received(table, again);
    expect(index.internNumbered({ table, ids, weights: packTermVector(vectors[1]!).weights })).toEqual(
      new ClusterIndex().intern(vectors[1]!),
    );
  });
});
