/**
 * Keys of the story engine's items (story-items.ts): the partition names the kind and the id, the
 * sort key is unused. The same shape as the ItemStore port's keys.
 */

export interface EngineItemKey {
  readonly partition: string;
  readonly sort: string;
}

const key = (partition: string): EngineItemKey => ({ partition, sort: '' });
export const articleKey = (articleId: string): EngineItemKey => key(`article#${articleId}`);
export const hashKey = (contentHash: string): EngineItemKey => key(`hash#${contentHash}`);
export const bandKey = (lsh: number): EngineItemKey => key(`band#${lsh}`);
export const storyKey = (storyId: string): EngineItemKey => key(`story#${storyId}`);
export const termKey = (term: string): EngineItemKey => key(`term#${term}`);
export const dfKey = (term: string): EngineItemKey => key(`df#${term}`);
export const CORPUS_KEY: EngineItemKey = key('corpus');

/**
 * Counter items (the corpus counts and each term's document frequency) change by commutative
 * increments, never conditional writes: every batch changes them, so versions would make concurrent
 * batches collide on every commit.
 */
export function isCounterKey(k: EngineItemKey): boolean {
  return k.partition === 'corpus' || k.partition.startsWith('df#');
}

/** The one string naming an item (the same as the ItemStore port's itemKeyId). */
export function engineItemId(k: EngineItemKey): string {
  return `${k.partition}\u0000${k.sort}`;
}
