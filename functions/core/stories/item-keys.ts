/**
 * Keys of the story engine's items (story-items.ts): the partition names the kind and the id, the
 * sort key is unused but in a term's partition, which holds the term's document frequency and one
 * posting entry per story indexed under the term, and in a band's bucket, one entry per original. The
 * same shape as the ItemStore port's keys.
 */

export interface EngineItemKey {
  readonly partition: string;
  readonly sort: string;
}

const key = (partition: string): EngineItemKey => ({ partition, sort: '' });
export const articleKey = (articleId: string): EngineItemKey => key(`article#${articleId}`);
export const hashKey = (contentHash: string): EngineItemKey => key(`hash#${contentHash}`);
/** An LSH band's bucket as a whole: what a batch reads by listing it. */
export const bandKey = (lsh: number): EngineItemKey => key(`band#${lsh}`);
/** One original's entry in an LSH band's bucket. */
export const bandEntryKey = (lsh: number, articleId: string): EngineItemKey => ({
  partition: `band#${lsh}`,
  sort: articleId,
});
export const storyKey = (storyId: string): EngineItemKey => key(`story#${storyId}`);
/** A term's posting partition as a whole: what a batch reads by listing it. */
export const termKey = (term: string): EngineItemKey => key(`term#${term}`);
/** One story's entry in a term's posting partition. */
export const postingKey = (term: string, storyId: string): EngineItemKey => ({
  partition: `term#${term}`,
  sort: storyId,
});
/**
 * The sort key of a term's document frequency in its partition: no story id starts with '!' (they are
 * letters and hex), and it sorts before them all.
 */
export const DF_SORT = '!df';
/**
 * A term's document frequency, in the term's partition: a batch lists the partition for the postings
 * anyway, so the frequency comes with them instead of costing a read of its own.
 */
export const dfKey = (term: string): EngineItemKey => ({ partition: `term#${term}`, sort: DF_SORT });
/** Where an earlier layout kept a term's document frequency; such items are read only by a whole-store load. */
export const LEGACY_DF_PREFIX = 'df#';
/** A story's followers (the stories that link to it as their follow-up parent) as a whole: listed. */
export const followersKey = (storyId: string): EngineItemKey => key(`followers#${storyId}`);
/**
 * One follower's entry under its parent: unversioned, so batches that link new stories to one popular
 * parent never collide on the parent's story item.
 */
export const followerKey = (parentId: string, followerId: string): EngineItemKey => ({
  partition: `followers#${parentId}`,
  sort: followerId,
});
export const CORPUS_KEY: EngineItemKey = key('corpus');

/**
 * Counter items (the corpus counts and each term's document frequency) change by commutative
 * increments, never conditional writes: every batch changes them, so versions would make concurrent
 * batches collide on every commit.
 */
export function isCounterKey(k: EngineItemKey): boolean {
  return (
    k.partition === 'corpus' ||
    (k.sort === DF_SORT && k.partition.startsWith('term#')) ||
    k.partition.startsWith(LEGACY_DF_PREFIX)
  );
}

const isEntryPartition = (partition: string): boolean =>
  partition.startsWith('term#') || partition.startsWith('band#') || partition.startsWith('followers#');

/**
 * True for a key that names a whole partition, read by listing it (a term's postings, a band's bucket, a
 * story's followers).
 */
export function isListedKey(k: EngineItemKey): boolean {
  return k.sort === '' && isEntryPartition(k.partition);
}

/**
 * Posting and bucket entries are written and deleted without a version: an entry's value is fixed
 * while it exists, so two batches never disagree on it, and batches that touch different stories
 * never collide on a common term or a band that boilerplate makes common.
 */
export function isUnversionedKey(k: EngineItemKey): boolean {
  return k.sort !== '' && isEntryPartition(k.partition) && !isCounterKey(k);
}
/** True for a posting or bucket entry: an item of a listed partition that names a story or an article. */
export function isEntryKey(k: EngineItemKey): boolean {
  return isUnversionedKey(k);
}

/**
 * Items a batch may read eventually consistent (a moment stale, at half the cost): document
 * frequencies only weigh terms, posting and bucket entries only rank candidates (a story missed there is
 * found again by concurrent-founders.ts, which lists strongly), and none of them is written under a
 * version, so a stale read can change no write's condition.
 */
export function toleratesStaleRead(k: EngineItemKey): boolean {
  return (
    k.partition.startsWith(LEGACY_DF_PREFIX) ||
    k.partition.startsWith('term#') ||
    k.partition.startsWith('band#')
  );
}
/** The one string naming an item (the same as the ItemStore port's itemKeyId). */
export function engineItemId(k: EngineItemKey): string {
  return `${k.partition}\u0000${k.sort}`;
}

/** Keys in the order a store's B-tree keeps them: partition, then sort key. */
export function compareItemKeys(a: EngineItemKey, b: EngineItemKey): number {
  if (a.partition !== b.partition) return a.partition < b.partition ? -1 : 1;
  return a.sort < b.sort ? -1 : a.sort > b.sort ? 1 : 0;
}
