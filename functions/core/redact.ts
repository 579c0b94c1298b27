/**
 * Redaction of personal data in log output. Subscriber addresses are personal data: they must never
 * reach CloudWatch, so every string that is logged passes through here.
 *
 * Redaction works on words, not on a model of what an address looks like: any run of characters
 * between separators that holds an `@` (or its URL encoding `%40`) is replaced whole. That catches
 * what an address-shaped pattern misses (international domains and local parts, `user@localhost`,
 * apostrophes and slashes in the local part, an address glued to a URL or a query string) at the
 * price of also hiding the odd word that only looks like one. Over-redaction is acceptable; a leak
 * is not.
 */

/**
 * A word: a run of characters that are not whitespace and not the punctuation that surrounds an
 * address in text, headers and JSON (`<>"(),;:`). The apostrophe and the slash are NOT separators:
 * both may appear inside a local part (`o'brien@…`, `a/b@…`). Matching whole words with `+` keeps
 * the scan linear, whatever the input.
 */
const WORD = /[^\s<>"(),;:]+/gu;

/** A quoted local part (`"ann smith"@example.org`) holds spaces, so it is not one word: found first. */
const QUOTED_LOCAL_PART = /"[^"\r\n]*"@/gu;

/** What marks a word as (perhaps) holding an address. */
const AT_SIGN = /@|%40/i;

/**
 * `node_modules/@scope/package` in a stack frame is a path, not an address; keeping it readable keeps
 * stack traces useful. Only an `@` right after `node_modules/` is excused.
 */
const SCOPED_PACKAGE_PATH = /node_modules\/@/g;

export const REDACTED_EMAIL = '[redacted-email]';

function redactWord(word: string): string {
  // Stryker disable next-line StringLiteral: any replacement without an at sign excuses the path alike.
  return AT_SIGN.test(word.replace(SCOPED_PACKAGE_PATH, '')) ? REDACTED_EMAIL : word;
}

/** Replaces every word of `text` that holds an email address with a fixed marker. */
export function redactEmails(text: string): string {
  if (!AT_SIGN.test(text)) return text;
  return text.replace(QUOTED_LOCAL_PART, `${REDACTED_EMAIL}@`).replace(WORD, redactWord);
}

/** A JSON.stringify replacer that redacts addresses in every string value. */
export function redactingJsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? redactEmails(value) : value;
}
