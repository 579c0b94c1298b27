/**
 * What a story shows that is derived from its summary pool alone: the headline, the summary
 * sentences, the key figures and the disagreements between outlets. It is a pure function of the
 * pool's articles, so it can be computed on any thread: a local run over a big folder hands the
 * end-of-batch summaries to its worker threads (adapters/prepare-pool.ts), the engine computes the
 * rest itself (StoryEngine.summaryJobs / supplySummaries).
 */
import type { Disagreement, KeyFigure, SummarySentence } from '../types.ts';
import { articleFigures, findDisagreements, keyFigures } from './figures.ts';
import { chooseHeadline } from './headline.ts';
import { articleSentences } from './sentences.ts';
import { type SummarySource, summariseStory } from './summarise.ts';

export interface StorySummary {
  readonly headline: string;
  readonly summary: SummarySentence[];
  readonly figures: KeyFigure[];
  readonly disagreements: Disagreement[];
}

/** One story to summarise: its pool's articles and the summary's length in sentences. */
export interface SummaryJob {
  readonly storyId: string;
  readonly sentences: number;
  readonly sources: readonly SummarySource[];
}

export function summariseSources(sources: readonly SummarySource[], sentences: number): StorySummary {
  const analysed = sources.map((source) => articleSentences(source.text));
  const summary = summariseStory(sources, null, sentences, analysed);
  const figures = sources.flatMap((s) => articleFigures(s.articleId, s.outlet, s.text));
  const disagreements = findDisagreements(figures);
  return {
    headline: chooseHeadline(sources, summary, analysed),
    summary,
    figures: keyFigures(figures, disagreements),
    disagreements,
  };
}

export function summariseJob(job: SummaryJob): StorySummary {
  return summariseSources(job.sources, job.sentences);
}

/** True when two pools hold the same articles with the same texts, in the same order. */
export function sameSources(a: readonly SummarySource[], b: readonly SummarySource[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (
      x === undefined ||
      y === undefined ||
      x.articleId !== y.articleId ||
      x.text !== y.text ||
      x.title !== y.title ||
      x.outlet !== y.outlet
    )
      return false;
  }
  return true;
}
