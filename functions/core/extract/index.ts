/**
 * Extraction: one input file → one clean ExtractedArticle (format, title, body, url, outlet, date).
 *
 * Text, Markdown and JSON are handled with light modules; the HTML stack (linkedom + Readability) is
 * loaded with `await import()` only when an HTML file arrives, so the ingest Lambda starts small.
 */
import { InputRejectedError } from '../errors.ts';
import type { ExtractedArticle, InputFormat, RawDocument } from '../types.ts';
import { decodeBytes } from './decode.ts';
import { detectFormat } from './format.ts';
import { parseNewsJson } from './json.ts';
import { parseMarkdown } from './markdown.ts';
import { hostOf, outletFrom } from './outlet.ts';
import type { ParsedText } from './plain-text.ts';
import { parsePlainText } from './plain-text.ts';
import { resolvePublicationDate } from './resolve-date.ts';
import { hasWords } from './size.ts';

export { dateFromUrl, findTextDate, parseMetadataDate, yearForWeekday } from './dates.ts';
export { decodeBytes } from './decode.ts';
export { detectFormat } from './format.ts';
export type { DateEvidence } from './resolve-date.ts';
export { resolvePublicationDate } from './resolve-date.ts';

/** Fewest words of body text for a file to count as an article. A headline alone is not one. */
export const MIN_ARTICLE_WORDS = 15;

function requireText(paragraphs: readonly string[], format: InputFormat): string {
  const text = paragraphs.join('\n\n').trim();
  if (!hasWords(text, MIN_ARTICLE_WORDS)) {
    throw new InputRejectedError(
      'no-article-text',
      `no article text was left after removing page furniture (${format} input); upload the article's full text`,
    );
  }
  return text;
}

function fromParsedText(format: InputFormat, parsed: ParsedText, doc: RawDocument): ExtractedArticle {
  const text = requireText(parsed.paragraphs, format);
  const url = parsed.headers.url ?? null;
  return {
    format,
    title: parsed.title,
    text,
    url,
    outlet: outletFrom(parsed.headers.source, url),
    date: resolvePublicationDate({
      metadata: [parsed.headers.date],
      url,
      text: [...parsed.datelines, text].join('\n'),
      arrivedAt: doc.arrivedAt,
    }),
    description: null,
  };
}

function fromJson(text: string, doc: RawDocument): ExtractedArticle {
  const json = parseNewsJson(text);
  const parsed = parsePlainText(json.text, json.title);
  const body = requireText(parsed.paragraphs, 'json');
  return {
    format: 'json',
    title: json.title,
    text: body,
    url: json.url,
    outlet: json.outlet ?? hostOf(json.url),
    date: resolvePublicationDate({
      metadata: [json.date],
      url: json.url,
      text: [...parsed.datelines, body].join('\n'),
      arrivedAt: doc.arrivedAt,
    }),
    description: json.description,
  };
}

/** Turns one input file into an article, or throws InputRejectedError saying why it cannot be one. */
export async function extractArticle(doc: RawDocument): Promise<ExtractedArticle> {
  const { text } = decodeBytes(doc.key, doc.bytes);
  const format = detectFormat(doc.key, text);
  switch (format) {
    case 'html': {
      // The guard's parser is part of the HTML stack, loaded with it only when an HTML file arrives.
      const [{ guardedHtml }, { extractHtml }] = await Promise.all([
        import('./guards.ts'),
        import('./html/index.ts'),
      ]);
      return extractHtml(guardedHtml(text), doc);
    }
    case 'json':
      return fromJson(text, doc);
    case 'markdown':
      return fromParsedText('markdown', parseMarkdown(text), doc);
    default:
      return fromParsedText('text', parsePlainText(text), doc);
  }
}
