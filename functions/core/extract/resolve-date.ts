/**
 * Date precedence inside one file (DESIGN.md §2): explicit metadata first (header/front-matter/JSON/meta
 * tags, then the URL path), then a date written in the text. Story and arrival fallbacks are applied
 * later by the story engine.
 *
 * The day reported is the publisher's local day. A timestamp with a local offset says it in its date
 * part; a UTC timestamp ("…Z") leaves it to the neighbouring evidence of the same page (local-day.ts).
 */
import type { Day, FoundDate } from '../types.ts';
import { dateFromUrl, findTextDate, parseMetadataDate } from './dates.ts';
import type { Timestamp } from './local-day.ts';
import { canBeLocalDay, dayInZone, readTimestamp } from './local-day.ts';

export interface DateEvidence {
  /** Machine dates from metadata, best first (header line, JSON date_publish, meta tags, JSON-LD…). */
  readonly metadata: ReadonlyArray<string | null | undefined>;
  readonly url?: string | null;
  /** Another URL of the same document (the source URL when the page names a canonical one). */
  readonly alternateUrl?: string | null;
  /** Further addresses the document declares for itself (og:url, AMP link, JSON-LD url), best first. */
  readonly declaredUrls?: ReadonlyArray<string>;
  /**
   * Links the page makes to itself, guessed from their slug (self-links.ts), best first: weaker than
   * a declared address, so they settle a timestamp's local day or date a page nothing else dates.
   */
  readonly selfLinkUrls?: ReadonlyArray<string>;
  /** Take a full date in the URL path before metadata timestamps (HTML pages). */
  readonly preferUrlDate?: boolean;
  /** Weaker machine dates (modified times), used after the URL and before the text. */
  readonly fallbackMetadata?: ReadonlyArray<string | null | undefined>;
  /** The day the page shows next to the article (a date-labelled element); settles a UTC timestamp. */
  readonly shownDay?: Day | null;
  /**
   * The publisher's UTC offset in minutes when the page tells it (its other timestamps' offsets):
   * converts a UTC timestamp to the local day when no written day settles it.
   */
  readonly zoneOffsetMinutes?: number | null;
  /** Text to search for a dateline or written date (datelines first, then the body). */
  readonly text: string;
  readonly arrivedAt: Date;
}

interface MetadataDay {
  readonly day: Day;
  readonly timestamp: Timestamp | null;
}

function metadataDays(values: ReadonlyArray<string | null | undefined>, arrivedAt: Date): MetadataDay[] {
  const out: MetadataDay[] = [];
  for (const value of values) {
    const day = parseMetadataDate(value, arrivedAt);
    if (day) out.push({ day, timestamp: readTimestamp(value) });
  }
  return out.map((m) => ({ day: m.day, timestamp: utcTwinOf(m.timestamp, out) ?? m.timestamp }));
}

/**
 * The UTC timestamp a zoneless one restates (same day, same minute). WHY: a zoneless time is read
 * as the CMS's local time, but when the page writes the same instant in UTC elsewhere, the zoneless
 * copy is that UTC time with its "Z" dropped, and its day is as uncertain as the UTC one's.
 */
function utcTwinOf(ts: Timestamp | null, all: readonly MetadataDay[]): Timestamp | null {
  if (!ts?.floating || ts.minutes === null) return null;
  return (
    all.find((o) => o.timestamp?.utc && o.timestamp.day === ts.day && o.timestamp.minutes === ts.minutes)
      ?.timestamp ?? null
  );
}

/**
 * The local day of the best metadata timestamp. A UTC timestamp takes, in this order, the day of
 * another timestamp of the page written with a real offset, the URL's day, or the shown day — each only
 * when a real time zone allows it; then its day in the page's own zone when the page tells it;
 * otherwise its UTC day.
 */
function localDayOf(
  best: MetadataDay,
  others: readonly MetadataDay[],
  urlDay: Day | null,
  shownDay: Day | null,
  zoneOffset: number | null,
): Day {
  const ts = best.timestamp;
  if (!ts?.utc) return best.day;
  const withOffset = others.find(
    (o) => o.timestamp && !o.timestamp.utc && !o.timestamp.floating && canBeLocalDay(ts, o.day),
  );
  if (withOffset) return withOffset.day;
  if (urlDay && canBeLocalDay(ts, urlDay)) return urlDay;
  if (shownDay && canBeLocalDay(ts, shownDay)) return shownDay;
  if (zoneOffset !== null) return dayInZone(ts, zoneOffset);
  return best.day;
}

/** The day in the path of the first address that carries one. */
function firstUrlDay(urls: ReadonlyArray<string | null | undefined>, arrivedAt: Date): Day | null {
  for (const url of urls) {
    const day = dateFromUrl(url, arrivedAt);
    if (day) return day;
  }
  return null;
}

export function resolvePublicationDate(evidence: DateEvidence): FoundDate | null {
  const { arrivedAt } = evidence;
  const fromUrl = firstUrlDay(
    [evidence.url, evidence.alternateUrl, ...(evidence.declaredUrls ?? [])],
    arrivedAt,
  );
  const fromSelfLink = firstUrlDay(evidence.selfLinkUrls ?? [], arrivedAt);
  const metadata = metadataDays(evidence.metadata, arrivedAt);
  const best = metadata[0];
  const zone = evidence.zoneOffsetMinutes ?? null;
  if (best) {
    // A URL day the timestamp cannot fall on in any time zone is the day the story was first filed
    // (the URL outlives later publication); the timestamp wins then.
    const urlAgrees = fromUrl !== null && (!best.timestamp || canBeLocalDay(best.timestamp, fromUrl));
    if (fromUrl && evidence.preferUrlDate && (urlAgrees || !best.timestamp?.utc)) {
      return { day: fromUrl, source: 'metadata' };
    }
    return {
      day: localDayOf(best, metadata, fromUrl ?? fromSelfLink, evidence.shownDay ?? null, zone),
      source: 'metadata',
    };
  }
  if (fromUrl) return { day: fromUrl, source: 'metadata' };
  if (fromSelfLink) return { day: fromSelfLink, source: 'metadata' };
  const fallback = metadataDays(evidence.fallbackMetadata ?? [], arrivedAt);
  if (fallback[0]) {
    return {
      day: localDayOf(fallback[0], fallback, null, evidence.shownDay ?? null, zone),
      source: 'metadata',
    };
  }
  return findTextDate(evidence.text, arrivedAt);
}
