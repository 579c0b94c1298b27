/**
 * Markdown articles: YAML-style front matter (title/date/url/source), `#` headings, links reduced to
 * their text, images and code dropped, emphasis stripped; the result is cleaned like plain text.
 */
import type { Headers } from './headers.ts';
import type { ParsedText } from './plain-text.ts';
import { parsePlainText } from './plain-text.ts';

const FRONT_MATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

const FRONT_MATTER_KEYS: Readonly<Record<string, keyof Headers>> = {
  title: 'title',
  headline: 'title',
  date: 'date',
  published: 'date',
  published_at: 'date',
  publishdate: 'date',
  pubdate: 'date',
  url: 'url',
  link: 'url',
  canonical_url: 'url',
  canonical: 'url',
  source: 'source',
  outlet: 'source',
  publisher: 'source',
  site: 'source',
};

function unquote(value: string): string {
  const v = value.trim();
  if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) return v.slice(1, -1);
  return v;
}

export function parseFrontMatter(text: string): { headers: Headers; body: string } {
  const m = FRONT_MATTER.exec(text);
  if (!m) return { headers: {}, body: text };
  const headers: Headers = {};
  for (const line of m[1]!.split(/\r?\n/)) {
    const kv = /^([A-Za-z_][\w-]*)\s*:\s*(.+)$/.exec(line);
    if (!kv) continue;
    const key = FRONT_MATTER_KEYS[kv[1]!.toLowerCase()];
    if (key && headers[key] === undefined) headers[key] = unquote(kv[2]!);
  }
  return { headers, body: text.slice(m[0].length) };
}

/** Markdown → plain text lines (inline markup removed, block structure kept as lines). */
export function markdownToText(markdown: string): { text: string; firstHeading: string | null } {
  let firstHeading: string | null = null;
  const out: string[] = [];
  let inFence = false;
  for (const raw of markdown.split(/\r?\n/)) {
    if (/^\s*(?:```|~~~)/.test(raw)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) continue;
    let line = raw;
    if (/^\s*\[[^\]]+\]:\s*\S+/.test(line)) continue; // reference definitions
    if (/^\s*(?:[-*_]\s*){3,}$/.test(line)) {
      out.push('');
      continue;
    }
    if (/^\s*\|?\s*:?-{3,}/.test(line)) continue; // table separators
    const heading = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      line = heading[2]!;
      if (firstHeading === null && heading[1]!.length <= 2) {
        firstHeading = inlineToText(line);
        continue;
      }
      out.push('', inlineToText(line), '');
      continue;
    }
    out.push(inlineToText(line));
  }
  return { text: out.join('\n'), firstHeading };
}

/** Inline Markdown → text: images dropped, links to their text, emphasis/code markers removed. */
export function inlineToText(line: string): string {
  return line
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/!\[[^\]]*\]\[[^\]]*\]/g, '')
    .replace(/\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)/g, '$1')
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
    .replace(/<https?:\/\/[^>]+>/g, '')
    .replace(/<\/?[a-zA-Z][^>]*>/g, '')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '$2')
    .replace(/(?<![\w*])\*(?=\S)([^*]*?\S)\*(?!\w)/g, '$1')
    .replace(/(?<![\w_])_(?=\S)([^_]*?\S)_(?![\w])/g, '$1')
    .replace(/~~(?=\S)([\s\S]*?\S)~~/g, '$1')
    .replace(/\\([\\`*_{}[\]()#+\-.!])/g, '$1')
    .replace(/^\s*#+\s*$/, '');
}

export function parseMarkdown(text: string): ParsedText {
  const { headers, body } = parseFrontMatter(text.replace(/^\ufeff/, ''));
  const { text: plain, firstHeading } = markdownToText(body);
  const title = headers.title ?? firstHeading;
  const parsed = parsePlainText(plain, title ?? null);
  return { ...parsed, headers: { ...parsed.headers, ...headers } };
}
