/** Which days' pages an S3 event on digests/ asks the publisher to rewrite. */
import { BUCKET_PREFIXES } from '../../contracts.ts';
import { decodeS3Key } from '../s3-event.ts';
import { isDay } from './manifest.ts';

/** The part of an S3 event notification the publisher reads. */
export interface DigestEvent {
  readonly Records?: readonly { readonly s3?: { readonly object?: { readonly key?: string } } }[];
}

/** The days of the digests an S3 event announces (`digests/<YYYY-MM-DD>.json`). */
export function changedDaysOf(event: DigestEvent): string[] {
  const days = new Set<string>();
  for (const record of event.Records ?? []) {
    const key = decodeS3Key(record.s3?.object?.key ?? '');
    const day = key.startsWith(BUCKET_PREFIXES.digests)
      ? key.slice(BUCKET_PREFIXES.digests.length).replace(/\.json$/, '')
      : '';
    if (isDay(day)) days.add(day);
  }
  return [...days].sort();
}
