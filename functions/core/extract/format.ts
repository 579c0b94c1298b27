/**
 * Which parser reads a file: by its extension first (the contributor's intent), then by sniffing
 * the first characters for keys without a known extension.
 */
import type { InputFormat } from '../types.ts';

/** How much of the text the sniffer looks at; markup declares itself in the first few hundred bytes. */
export const SNIFF_CHARS = 2048;

const EXTENSION_FORMATS: Readonly<Record<string, InputFormat>> = {
  txt: 'text',
  text: 'text',
  md: 'markdown',
  markdown: 'markdown',
  mdown: 'markdown',
  html: 'html',
  htm: 'html',
  xhtml: 'html',
  shtml: 'html',
  json: 'json',
};

function extensionOf(key: string): string {
  const name = key.replace(/\.gz$/i, '').split('/').pop() ?? '';
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** True when the text opens like an HTML document (doctype, <html>, <head>, <body>). */
export function looksLikeHtmlDocument(head: string): boolean {
  return /^\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])/i.test(
    head,
  );
}

function looksLikeHtmlFragment(head: string): boolean {
  const tags = head.match(/<\/?(?:p|div|article|section|h[1-6]|span|a|br|meta|title|script)\b[^>]*>/gi);
  return (tags?.length ?? 0) >= 3;
}

/**
 * Decides the input format from the key and the (decoded) text or raw bytes. `.txt` files that are
 * plainly whole HTML documents are read as HTML, since that is what a saved web page is.
 */
export function detectFormat(key: string, content: string | Uint8Array): InputFormat {
  const head =
    typeof content === 'string'
      ? content.slice(0, SNIFF_CHARS)
      : Buffer.from(content.subarray(0, SNIFF_CHARS)).toString('latin1');
  const byExtension = EXTENSION_FORMATS[extensionOf(key)];
  if (byExtension === 'text') return looksLikeHtmlDocument(head) ? 'html' : 'text';
  if (byExtension) return byExtension;
  const trimmed = head.replace(/^\ufeff/, '').trimStart();
  if (looksLikeHtmlDocument(trimmed) || looksLikeHtmlFragment(trimmed)) return 'html';
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return 'json';
  if (/^---\r?\n[\s\S]*?\r?\n---\r?\n/.test(trimmed) || /^#{1,6} \S/m.test(trimmed.slice(0, 300)))
    return 'markdown';
  return 'text';
}
