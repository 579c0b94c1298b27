/**
 * Making untrusted article values safe to show: HTML escaping, link-safe URLs, and keeping
 * article text from posing as a per-subscriber placeholder.
 */
import { PLACEHOLDER_MARK } from './placeholders.ts';

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
  '=': '&#61;',
};

/** Escapes text for an HTML text node or a quoted attribute value. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`=]/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * Control characters (except tab/newline) never belong in an email, nor do the bidirectional
 * embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069): in a headline or subject
 * they reorder what follows on screen, so a reader would see text the article does not say.
 */
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Cleans one untrusted string for display: drops control characters and breaks up the
 * placeholder marker so article text can never be mistaken for a per-subscriber slot.
 */
export function cleanText(value: string): string {
  return value.replace(CONTROL_CHARS, '').split(PLACEHOLDER_MARK).join('%\u2060%');
}

/** Longest URL we link to; longer ones are almost always tracking junk and blow the size budget. */
const MAX_URL_LENGTH = 2048;

/**
 * Returns the URL in canonical form when it is an absolute http(s) URL, else null. Anything else
 * (`javascript:`, `data:`, `vbscript:`, relative, malformed) must never become a link.
 */
export function safeHttpUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  const trimmed = value.replace(CONTROL_CHARS, '').trim();
  if (trimmed.length === 0 || trimmed.length > MAX_URL_LENGTH) return null;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (!url.hostname) return null;
  // URL serialisation percent-encodes spaces, quotes and angle brackets; the marker is split so a
  // URL cannot carry a placeholder either.
  return url.href.split(PLACEHOLDER_MARK).join('%25%25');
}

/** A readable outlet name from a URL's host ("www.bbc.co.uk" → "bbc.co.uk"), or null. */
export function hostLabel(value: string | null | undefined): string | null {
  const safe = safeHttpUrl(value);
  if (!safe) return null;
  return new URL(safe).hostname.replace(/^www\./, '');
}
