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
export const CORPUS_KEY: EngineItemKey = key('corpus');

/** The one string naming an item (the same as the ItemStore port's itemKeyId). */
export function engineItemId(k: EngineItemKey): string {
  return `${k.partition}\u0000${k.sort}`;
}
