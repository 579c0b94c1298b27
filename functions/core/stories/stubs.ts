/**
 * Stub pages: pages whose extracted text is a line or two of site furniture ("Chat with us in
 * Facebook Messenger", a video caption, a sign-in prompt) instead of the article. One site serves
 * the same stub under many headlines, so two stubs with the same text are not copies of one story:
 * their text says nothing about the event, their headlines do.
 */
import { tokenize } from '../text.ts';

/**
 * Below this many distinct word shingles a text is too short to show that two pages are copies
 * (about 35 words: two sentences). Real articles, even wire briefs, are longer; reprints of a stub
 * count as copies only when their headlines agree as well.
 */
export const MIN_COPY_SHINGLES = 30;

/** True when a text of `shingles` shingles is a stub, too short to be identified by its text alone. */
export function isStubText(shingles: number): boolean {
  return shingles < MIN_COPY_SHINGLES;
}

/** Headlines that are the same words (case and punctuation aside); two missing headlines agree. */
export function sameHeadline(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return tokenize(a).join(' ') === tokenize(b).join(' ');
}
