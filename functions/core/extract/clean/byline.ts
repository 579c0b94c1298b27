/**
 * Bylines and timestamp lines ("By Jane Smith and Ali Khan", "Published 10:32 GMT, 1 March 2022").
 * They are not prose; timestamp lines are kept aside as date evidence.
 */

import { arabicWrittenDate } from '../month-names.ts';
import { countWords } from '../size.ts';

/** Longest byline; "By Jane Smith, Reuters" is short, a sentence starting with "By" is longer. */
export const MAX_BYLINE_WORDS = 12;

const NAME = String.raw`\p{Lu}[\p{L}.'’-]*`;
const BYLINE = new RegExp(
  String.raw`^(?:by|written by|words by|reporting by|von|par|por)\s+${NAME}(?:\s+(?:${NAME}|and|&|,|\||-|–|—|in|for|de|van|von|da|el|al)){0,10}\s*$`,
  'u',
);

const TIMESTAMP_LINE =
  /^(?:published|updated|posted|last updated|first published|modified|date|dated)\b\s*:?\s*.{0,60}\d.{0,40}$/i;

/** A line that is only a date ("March 4, 2022", "2022-03-04", "Friday 4 March 2022 10:32 GMT"). */
const DATE_ONLY_LINE =
  /^(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?(?:\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?,?\s+\d{4}|[A-Za-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4})(?:\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)?$/i;

export function isBylineLine(line: string): boolean {
  const text = line.trim();
  return countWords(text, MAX_BYLINE_WORDS) <= MAX_BYLINE_WORDS && BYLINE.test(text);
}

/** Longest line in words that can be a written-out timestamp ("نشر يوم الجمعة ٢٤ نيسان ٢٠٢٥ …"). */
export const MAX_TIMESTAMP_WORDS = 14;

export function isTimestampLine(line: string): boolean {
  const text = line.trim();
  if (text.length > 120) return false;
  if (TIMESTAMP_LINE.test(text) || DATE_ONLY_LINE.test(text)) return true;
  // A short line with no sentence end around a date in a script chrono does not read.
  return (
    !/[.!?؟]["'”’)]*$/u.test(text) &&
    countWords(text, MAX_TIMESTAMP_WORDS) <= MAX_TIMESTAMP_WORDS &&
    arabicWrittenDate(text) !== null
  );
}
