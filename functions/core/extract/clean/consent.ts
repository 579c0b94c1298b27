/**
 * Cookie and consent banners. A banner addresses the reader ("you", "this site", "our partners") and
 * piles up consent vocabulary; a news sentence about cookies or the GDPR does neither at once.
 */
import { splitSentences } from '../../text.ts';

/** Vocabulary that on its own marks consent text (weight 2). */
const STRONG_INDICATORS: readonly RegExp[] = [
  /\bcookies?\b/i,
  /\bconsent\b/i,
  /\bprivacy (?:policy|notice|settings|statement|center|centre)\b/i,
  /\bgdpr\b/i,
  /\bpersonali[sz]e[ds]? (?:content|ads|advertising|your experience)\b/i,
  /\bby (?:using|continuing to (?:use|browse)|clicking|browsing)\b/i,
  /\baccept (?:all|cookies|and continue)\b/i,
  /\b(?:manage|change|update|review) (?:your )?(?:cookie |privacy |consent )?(?:preferences|settings|choices)\b/i,
  /\b(?:its|our) (?:trusted )?partners\b/i,
  /\banaly[sz]e (?:our |site |web )?traffic\b/i,
  /\bterms (?:of (?:use|service)|and conditions)\b/i,
  /\btracking technologies\b/i,
];

/** Vocabulary that marks consent text only together with more (weight 1). */
const WEAK_INDICATORS: readonly RegExp[] = [
  /\byour choices\b/i,
  /\bchange your mind\b/i,
  /\bat any ?time\b/i,
  /\bagree\b/i,
  /\bwithdraw\b/i,
  /\bopt[- ]out\b/i,
  /\bads\b/i,
  /\bbrowser\b/i,
  /\bexperience\b/i,
  /\brevisit\b/i,
];

/** Second person or site self-reference: banners talk to the reader about "this site". */
const ADDRESSES_READER = /\b(?:you|your|we|our|us|this (?:site|website|page))\b/i;

/** Score at which a sentence is consent text: one strong indicator, or two weak ones. */
export const CONSENT_SENTENCE_SCORE = 2;

export function consentScore(sentence: string): number {
  let score = 0;
  for (const re of STRONG_INDICATORS) if (re.test(sentence)) score += 2;
  for (const re of WEAK_INDICATORS) if (re.test(sentence)) score += 1;
  return score;
}

export function isConsentSentence(sentence: string): boolean {
  return ADDRESSES_READER.test(sentence) && consentScore(sentence) >= CONSENT_SENTENCE_SCORE;
}

/**
 * Removes consent sentences from a line. A run of consent sentences at the start or the end of the line
 * is cut (a banner glued onto a paragraph); when every sentence is consent text the line goes.
 * Returns the remaining text ('' when nothing is left).
 */
/** Any indicator at all: lines without one (nearly all) skip sentence splitting. */
const ANY_INDICATOR = new RegExp(
  [...STRONG_INDICATORS, ...WEAK_INDICATORS].map((re) => re.source).join('|'),
  'i',
);

export function stripConsent(line: string): string {
  // Every consent sentence addresses the reader and holds an indicator; most lines have neither.
  if (!ADDRESSES_READER.test(line) || !ANY_INDICATOR.test(line)) return line;
  const sentences = splitSentences(line);
  if (sentences.length === 0) return line;
  const flags = sentences.map(isConsentSentence);
  if (!flags.some(Boolean)) return line;
  let start = 0;
  let end = sentences.length;
  while (start < end && flags[start]) start++;
  while (end > start && flags[end - 1]) end--;
  return sentences.slice(start, end).join(' ');
}
