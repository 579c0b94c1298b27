/**
 * Photo captions and credits: "… Photo by X/Y via Getty Images", "(Reuters/Jane Doe)", "Image: …".
 * A caption line is dropped whole: the description of a photo is not a sentence of the story.
 */
import { countWords } from '../size.ts';

/** Credit formulas used by agencies and picture desks. */
const CREDIT_PATTERNS: readonly RegExp[] = [
  /\b(?:photo|photograph|picture|image|pic|illustration|video|footage|graphic)s?\s*(?:by|credit|courtesy of)\s*:?\s*\p{Lu}/iu,
  /(?:\bvia|\/|\||\u00b7|;)\s*getty\s*images\b/i,
  /\bgetty images\b\s*\)?\s*$/i,
  /\b(?:shutterstock|alamy|istock(?:photo)?)\b\s*\)?\s*$/i,
  /\((?:reuters|ap|afp|epa|epa-efe|getty|xinhua|anadolu|ap photo)\s*\/[^)]{1,80}\)\s*$/i,
  /\b(?:ap|afp|reuters|epa)\s+photo\b/i,
  /^\s*(?:image|photo|picture|caption|credit|photo credit|image source)\s*:/i,
  /[([]\s*(?:photo|image|picture|credit)\s*:[^)\]]*[)\]]\s*$/i,
  /\bfile photo\b/i,
];

/** Longest line still treated as a caption; longer lines are paragraphs that happen to name an agency. */
export const MAX_CAPTION_WORDS = 70;

/** Words every credit formula above contains; lines without one skip the formulas. */
const CREDIT_WORD =
  /photo|pictur|image|\bpic|illustr|video|footage|graphic|getty|shutterstock|alamy|istock|reuters|\bap\b|afp|\bepa\b|xinhua|anadolu|caption|credit/i;

export function isCaptionLine(line: string): boolean {
  if (!CREDIT_WORD.test(line)) return false;
  const words = countWords(line, MAX_CAPTION_WORDS);
  if (words > MAX_CAPTION_WORDS) return false;
  return CREDIT_PATTERNS.some((re) => re.test(line));
}
