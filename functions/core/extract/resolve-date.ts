/**
 * Date precedence inside one file (DESIGN.md §2): explicit metadata first (header/front-matter/JSON/meta
 * tags, then the URL path), then a date written in the text. Story and arrival fallbacks are applied
 * later by the story engine.
 */
import type { FoundDate } from '../types.ts';
import { dateFromUrl, findTextDate, parseMetadataDate } from './dates.ts';

export interface DateEvidence {
  /** Machine dates from metadata, best first (header line, JSON date_publish, meta tags, JSON-LD…). */
  readonly metadata: ReadonlyArray<string | null | undefined>;
  readonly url?: string | null;
  /** Another URL of the same document (the source URL when the page names a canonical one). */
  readonly alternateUrl?: string | null;
  /** Take a full date in the URL path before metadata timestamps (HTML pages). */
  readonly preferUrlDate?: boolean;
  /** Weaker machine dates (modified times), used after the URL and before the text. */
  readonly fallbackMetadata?: ReadonlyArray<string | null | undefined>;
  /** Text to search for a dateline or written date (datelines first, then the body). */
  readonly text: string;
  readonly arrivedAt: Date;
}

export function resolvePublicationDate(evidence: DateEvidence): FoundDate | null {
  const fromUrl =
    dateFromUrl(evidence.url, evidence.arrivedAt) ?? dateFromUrl(evidence.alternateUrl, evidence.arrivedAt);
  if (fromUrl && evidence.preferUrlDate) return { day: fromUrl, source: 'metadata' };
  for (const value of evidence.metadata) {
    const day = parseMetadataDate(value, evidence.arrivedAt);
    if (day) return { day, source: 'metadata' };
  }
  if (fromUrl) return { day: fromUrl, source: 'metadata' };
  for (const value of evidence.fallbackMetadata ?? []) {
    const day = parseMetadataDate(value, evidence.arrivedAt);
    if (day) return { day, source: 'metadata' };
  }
  return findTextDate(evidence.text, evidence.arrivedAt);
}
