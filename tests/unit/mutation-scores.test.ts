/** The per-module score `npm run mutation` gates on: killed plus timed out over every valid mutant. */
import { describe, expect, it } from 'vitest';
import { moduleScores } from '../mutation/scores.ts';

const mutants = (...statuses: string[]) => statuses.map((status) => ({ status }));

describe('moduleScores', () => {
  it('counts timeouts as detected and no-coverage as valid but undetected', () => {
    const [score] = moduleScores({
      files: { 'a.ts': { mutants: mutants('Killed', 'Killed', 'Timeout', 'Survived', 'NoCoverage') } },
    });
    expect(score).toMatchObject({ detected: 3, valid: 5, survived: 1, noCoverage: 1, score: 60 });
  });

  it('leaves excluded mutants and compile or runtime errors out of the count', () => {
    const [score] = moduleScores({
      files: { 'a.ts': { mutants: mutants('Killed', 'Ignored', 'CompileError', 'RuntimeError') } },
    });
    expect(score).toMatchObject({ detected: 1, valid: 1, ignored: 1, score: 100 });
  });

  it('lists modules in path order', () => {
    const files = { 'b.ts': { mutants: mutants('Killed') }, 'a.ts': { mutants: mutants('Survived') } };
    expect(moduleScores({ files }).map((s) => [s.file, s.score])).toEqual([
      ['a.ts', 0],
      ['b.ts', 100],
    ]);
  });
});
