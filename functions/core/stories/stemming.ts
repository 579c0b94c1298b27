/**
 * Stemming and content terms: the words of a text worth indexing, lightly stemmed so that plural
 * and possessive forms (and transliterated name endings) meet.
 */
import { STOP_WORDS, tokenize } from '../text.ts';

/**
 * Harman's "S" stemmer plus a transliteration fold for names (Zelenskiy / Zelenskyy / Zelensky,
 * Oleksii / Oleksiy): conservative, so distinct words never collapse.
 */
export function stem(word: string): string {
  // endsWith tests rather than regular expressions: this runs on every word of every article.
  let w = word.endsWith("'s") || word.endsWith('’s') ? word.slice(0, -2) : word;
  if (w.length > 4 && (w.endsWith('iy') || w.endsWith('yy') || w.endsWith('ii'))) w = `${w.slice(0, -2)}y`;
  if (w.length <= 3) return w;
  if (w.endsWith('ies') && !w.endsWith('eies') && !w.endsWith('aies')) return `${w.slice(0, -3)}y`;
  if (w.endsWith('es') && !w.endsWith('aes') && !w.endsWith('ees') && !w.endsWith('oes')) {
    // "buses", "crashes": drop "es" only after s/x/z/ch/sh; otherwise only the "s" ("rates" -> "rate").
    const before = w.charCodeAt(w.length - 3);
    if (before === 115 || before === 120 || before === 122 || w.endsWith('ches') || w.endsWith('shes'))
      return w.slice(0, -2);
    return w.slice(0, -1);
  }
  if (w.endsWith('s') && !w.endsWith('us') && !w.endsWith('ss') && !w.endsWith('is')) return w.slice(0, -1);
  return w;
}

/** True for a token worth indexing: not a stop word, not a lone letter, not a bare small number. */
export function isContentToken(token: string): boolean {
  if (token.length < 2) return false;
  if (STOP_WORDS.has(token)) return false;
  // Bare numbers below 100 ("2", "45") say little about an event; years and large counts do.
  if (token.length < 3 && isDigits(token)) return false;
  return true;
}

function isDigits(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return token.length > 0;
}

/** Stemmed content terms of a text. */
export function contentTerms(text: string): string[] {
  const out: string[] = [];
  for (const token of tokenize(numbersJoined(text))) if (isContentToken(token)) out.push(stem(token));
  return out;
}

/** "4,500" and "1,000,000" become one token each, so figures act as terms. */
function numbersJoined(text: string): string {
  return hasDigitComma(text) ? text.replace(/(\d),(?=\d{3}\b)/g, '$1') : text;
}

/** True when some comma has a digit on both sides: most sentences have none, and then need no regex. */
function hasDigitComma(text: string): boolean {
  for (let i = text.indexOf(',', 1); i >= 0 && i + 1 < text.length; i = text.indexOf(',', i + 1)) {
    const before = text.charCodeAt(i - 1);
    const after = text.charCodeAt(i + 1);
    if (before >= 48 && before <= 57 && after >= 48 && after <= 57) return true;
  }
  return false;
}
