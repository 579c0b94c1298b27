/**
 * The project's five seed articles in every one of their 120 arrival orders, all arriving on one
 * day (as an `aws s3 sync` of the folder would deliver them, in no set order): how many orders give
 * the three stories issue 2 fixes (000, 001 and 002 one story; 003 and 004 each their own), and
 * which groupings the others give. The seeds are in the repository, so this runs without ../shared.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractArticle } from '../../functions/core/extract/index.ts';
import { StoryEngine } from '../../functions/core/stories/story-engine.ts';
import type { ExtractedArticle } from '../../functions/core/types.ts';
import { storyGrouping } from '../support/articles.ts';
import type { Metric } from './run.ts';

const SEEDS_DIR = join(import.meta.dirname, '../../seeds');
/** One arrival instant for every seed: only the order varies. */
const ARRIVAL = new Date('2022-03-11T09:00:00Z');
/** The grouping issue 2 accepts, written as `groupingOf` writes one. */
export const EXPECTED_SEED_GROUPING = '000+001+002 | 003 | 004';

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

/** The stories of one arrival order, as "000+001+002 | 003 | 004" (members by seed number, sorted). */
function groupingOf(order: readonly { readonly name: string; readonly article: ExtractedArticle }[]): string {
  const room = StoryEngine.empty();
  for (const { name, article } of order) room.ingest({ source: name, article, arrivedAt: ARRIVAL });
  // As an ingest batch ends: a collection this small is replayed in publication order.
  const settled = StoryEngine.replayInPublicationOrder(room);
  return storyGrouping(settled.records());
}

export async function evaluateSeedOrders(): Promise<Metric> {
  const names = readdirSync(SEEDS_DIR).sort();
  const seeds = await Promise.all(
    names.map(async (file) => ({
      name: file.slice(0, 3),
      article: await extractArticle({
        key: file,
        bytes: readFileSync(join(SEEDS_DIR, file)),
        arrivedAt: ARRIVAL,
      }),
    })),
  );
  const groupings: Record<string, number> = {};
  const orders = permutations(seeds);
  for (const order of orders) {
    const grouping = groupingOf(order);
    groupings[grouping] = (groupings[grouping] ?? 0) + 1;
  }
  return {
    metric: 'clustering-seed-orders',
    orders: orders.length,
    expected: EXPECTED_SEED_GROUPING,
    correct: groupings[EXPECTED_SEED_GROUPING] ?? 0,
    groupings,
  };
}
