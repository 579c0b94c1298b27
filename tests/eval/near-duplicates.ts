/**
 * Near-duplicate precision/recall. Positives: wire copies found in the clustering set (same-event
 * pairs where at least 70% of the shorter body's word 5-shingles appear in the other: copied text,
 * which independent reports never reach; looser than the detector's own bars on purpose), plus
 * generated edited copies of every clustering article with ≥ 120 words: reworded header, one changed
 * line, added boilerplate, trimmed tail. Negatives: different outlets' own reports of the same event
 * (same EventId, different domain, not a wire copy). Judged by the fingerprint verdict the story engine uses.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { containment, nearDuplicateVerdict, shingleSet } from '../../functions/core/stories/fingerprint.ts';
import { splitSentences } from '../../functions/core/text.ts';
import { loadLabelledArticles } from './clustering.ts';
import type { Metric } from './run.ts';

/** Shingle containment at which two same-event articles are labelled a wire copy for the positive set. */
const WIRE_COPY_CONTAINMENT = 0.7;
const MIN_WORDS_FOR_EDITS = 120;
const BOILERPLATE =
  'Sign up for our daily newsletter to get the top stories delivered to your inbox. ' +
  'Follow us on social media for the latest updates. Copyright reserved; all rights reserved. ' +
  'Advertisement. Click here to read more stories from our partners.';

type Edit = (text: string) => string;

const EDITS: Record<string, Edit> = {
  rewordedHeader: (t) => `UPDATED — from our wire desk\n\n${t}`,
  changedLine: (t) => {
    const sentences = splitSentences(t);
    const i = Math.floor(sentences.length / 2);
    sentences[i] = 'A spokesperson declined to comment further on the matter when contacted on Tuesday.';
    return sentences.join(' ');
  },
  addedBoilerplate: (t) => `${t}\n\n${BOILERPLATE}`,
  trimmedTail: (t) => {
    const sentences = splitSentences(t);
    return sentences.slice(0, Math.max(1, Math.ceil(sentences.length * 0.75))).join(' ');
  },
};

export async function evaluate(dataDir: string): Promise<Metric[]> {
  const dir = join(dataDir, 'clustering', 'articles');
  if (!existsSync(dir)) return [{ metric: 'near-duplicates', skipped: `no data at ${dir}` }];
  const articles = await loadLabelledArticles(dir);
  const shingles = articles.map((a) => shingleSet(a.article.text));
  let tp = 0;
  let fn = 0;
  let fp = 0;
  let tn = 0;
  let wireCopies = 0;
  const perEdit: Record<string, { found: number; total: number }> = {};
  // Pairs inside one event: wire copies are positives, other outlets' reports negatives.
  for (let i = 0; i < articles.length; i++) {
    for (let j = i + 1; j < articles.length; j++) {
      const a = articles[i]!;
      const b = articles[j]!;
      if (a.label !== b.label) continue;
      const isWire = containment(shingles[i]!, shingles[j]!) >= WIRE_COPY_CONTAINMENT;
      const said = nearDuplicateVerdict(shingles[i]!, shingles[j]!).duplicate;
      if (isWire) {
        wireCopies++;
        if (said) tp++;
        else fn++;
      } else if (a.article.outlet !== b.article.outlet || a.article.outlet === null) {
        if (said) fp++;
        else tn++;
      }
    }
  }
  for (let i = 0; i < articles.length; i++) {
    const text = articles[i]!.article.text;
    if (text.split(/\s+/).length < MIN_WORDS_FOR_EDITS) continue;
    for (const [name, edit] of Object.entries(EDITS)) {
      const stat = perEdit[name] ?? { found: 0, total: 0 };
      perEdit[name] = stat;
      stat.total++;
      if (nearDuplicateVerdict(shingles[i]!, shingleSet(edit(text))).duplicate) {
        stat.found++;
        tp++;
      } else fn++;
    }
  }
  const round = (x: number): number => Math.round(x * 10000) / 10000;
  return [
    {
      metric: 'near-duplicates',
      precision: round(tp + fp === 0 ? 1 : tp / (tp + fp)),
      recall: round(tp + fn === 0 ? 1 : tp / (tp + fn)),
      positives: tp + fn,
      wireCopies,
      negatives: fp + tn,
      falsePositives: fp,
      perEdit,
      target: { precision: 1, recall: 0.95 },
    },
  ];
}
