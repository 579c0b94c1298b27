/**
 * Promotional and navigation lines: "READ MORE …", "Related: …", "latest from russia",
 * "Read our … live blog", newsletter and app plugs, share/follow prompts.
 */
import { countWords } from '../size.ts';

/** Longest line that can be a promo; real paragraphs are longer. */
export const MAX_PROMO_WORDS = 30;

/** Short navigation labels that stand on their own line. */
const NAV_LABEL =
  /^(?:read more|read next|more from|more on|more stories|latest from|latest news|latest|related|related stories|related articles|recommended|recommended for you|trending|trending now|most read|most popular|most viewed|top stories|also read|also see|see also|you may also like|you might also like|continue reading|story continues below|advertisement|sponsored|sponsored content|promoted|share this|share this article|editor'?s picks?|watch|listen|more)\b/i;

/** Imperative calls to action. */
const CTA_VERB =
  /^(?:read|see|watch|listen(?: to)?|click|tap|sign up|signup|subscribe|follow|download|get|join|register|share|check out|find out more|discover|don't miss|catch up)\b/i;

/** What a call to action points the reader at. */
const CTA_TARGET =
  /\b(?:more|here|our|your|us|latest|live|blog|updates|newsletters?|stories|coverage|app|podcasts?|videos?|now|full|free|today|inbox|below|link|page|website|site|twitter|facebook|instagram|telegram|whatsapp|youtube)\b/i;

/** Newsletter/subscription plugs address the reader. */
const SUBSCRIPTION = /\b(?:newsletters?|inbox|subscribe|subscription|sign[- ]?up)\b/i;
const ADDRESSES_READER = /\b(?:you|your|our|us)\b/i;

/** Strips leading emoji, bullets and arrows that promo lines carry ("🔴 Read our …", "► Related"). */
function stripDecoration(line: string): string {
  return line.replace(/^[^\p{L}\p{N}"'“‘(]+/u, '').trim();
}

/** Word count up to just past MAX_PROMO_WORDS (longer lines are never promos). */
function wordCount(line: string): number {
  return countWords(line, MAX_PROMO_WORDS);
}

/** "READ MORE SUN STORIES": a short line in capitals is a label, not prose. */
export function isShoutedLabel(line: string): boolean {
  if (/\p{Ll}/u.test(line)) return false;
  const letters = line.replace(/[^\p{L}]/gu, '');
  const words = wordCount(line);
  return (
    letters.length >= 6 &&
    words >= 2 &&
    words <= 10 &&
    letters === letters.toUpperCase() &&
    !/[.!?]$/.test(line)
  );
}

export function isPromoLine(line: string): boolean {
  const text = stripDecoration(line);
  if (text.length === 0) return true;
  const words = wordCount(text);
  if (words > MAX_PROMO_WORDS) return false;
  const endsLikeSentence = /[.!?]["'”’)]*$/.test(text);
  if (isShoutedLabel(text)) return true;
  if (
    NAV_LABEL.test(text) &&
    (words <= 8 || !endsLikeSentence) &&
    !/^(?:more|latest|watch|listen)\s+(?:than|of|and)\b/i.test(text)
  ) {
    // "More than 500,000 refugees …" is prose; "More from Reuters" is a label.
    if (/^(?:more|latest|watch|listen)\b/i.test(text) && endsLikeSentence && words > 4) return false;
    return true;
  }
  if (CTA_VERB.test(text) && CTA_TARGET.test(text)) return true;
  if (SUBSCRIPTION.test(text) && ADDRESSES_READER.test(text) && words <= 25) return true;
  return false;
}
