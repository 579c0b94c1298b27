/**
 * news-please JSON: `title`, `text` / `maintext`, `date_publish`, `url`, `source_domain`, `description`.
 * JSON that is not a news article is rejected; nesting is bounded before JSON.parse ever runs.
 */
import { InputRejectedError } from '../errors.ts';

/**
 * Deepest nesting accepted. An article object is 2–4 levels deep; 64 leaves room for odd exports while
 * a "[[[[…" bomb (which makes JSON.parse recurse and blow the stack) is refused up front.
 */
export const MAX_JSON_DEPTH = 64;

/** Field names holding the body, in order of preference (news-please, schema.org, generic exports). */
const TEXT_FIELDS = ['maintext', 'text', 'articleBody', 'body', 'content'] as const;

export interface NewsJson {
  readonly title: string | null;
  readonly text: string;
  readonly date: string | null;
  readonly url: string | null;
  readonly outlet: string | null;
  readonly description: string | null;
}

/** Maximum nesting depth of JSON text, counted without parsing (strings are skipped). */
export function jsonDepth(text: string, limit = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

function str(value: unknown): string | null {
  if (typeof value === 'string') return value.trim().length > 0 ? value.trim() : null;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

function notAnArticle(why: string): never {
  throw new InputRejectedError(
    'not-an-article',
    `${why}; a JSON input must be one news-please article object with "title" and "text" (or "maintext")`,
  );
}

export function parseNewsJson(text: string): NewsJson {
  if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw new InputRejectedError(
      'too-deep',
      `the JSON nests deeper than ${MAX_JSON_DEPTH} levels; a news article object is a few levels deep, so export it flat`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (error) {
    throw new InputRejectedError(
      'not-an-article',
      `the file is not valid JSON (${(error as Error).message}); fix the syntax or upload the text as .txt`,
      { cause: error },
    );
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    notAnArticle(Array.isArray(data) ? 'the JSON is an array' : 'the JSON is not an object');
  }
  const record = data as Record<string, unknown>;
  let body: string | null = null;
  for (const field of TEXT_FIELDS) {
    body = str(record[field]);
    if (body) break;
  }
  const title = str(record.title) ?? str(record.headline);
  const description = str(record.description);
  if (!body) {
    if (!title && !description) notAnArticle('the JSON object has no title and no text field');
    throw new InputRejectedError(
      'no-article-text',
      'the JSON article has no body text ("text"/"maintext" is missing or empty); include the article text',
    );
  }
  const outlet =
    str(record.source_domain) ?? str(record.outlet) ?? str(record.publisher) ?? str(record.source);
  return {
    title,
    text: body,
    date: str(record.date_publish) ?? str(record.datePublished) ?? str(record.published) ?? str(record.date),
    url: str(record.url) ?? str(record.link),
    outlet,
    description,
  };
}
