/**
 * Stub pages: pages whose extracted text is a line or two of site furniture ("Chat with us in
 * Facebook Messenger", a video caption, a sign-in prompt) instead of the article. One site serves
 * the same stub under many headlines, so two stubs with the same text are copies only when their
 * headlines agree too.
 */
import { tokenize } from '../text.ts';

/** Below this many distinct word shingles (about two sentences) a text is too short to prove two pages are copies. */
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
