/**
 * Date rules: the publisher's local day of machine timestamps, URL days against timestamps, written
 * dates in Arabic, month-only values, and text datelines resolved against the arrival time.
 */
import { describe, expect, it } from 'vitest';
import { findTextDate, parseMetadataDate } from '../../../functions/core/extract/dates.ts';
import {
  canBeLocalDay,
  possibleLocalDays,
  readTimestamp,
} from '../../../functions/core/extract/local-day.ts';
import { arabicWrittenDate } from '../../../functions/core/extract/month-names.ts';
import { resolvePublicationDate } from '../../../functions/core/extract/resolve-date.ts';

const ARRIVED = new Date('2021-01-01T00:00:00Z');

describe('local day of a timestamp', () => {
  it('takes the date part of a timestamp written with a local offset', () => {
    expect(parseMetadataDate('2020-05-17T23:30:00-04:00', ARRIVED)).toBe('2020-05-17');
    expect(parseMetadataDate('2020-05-18T00:30:00+03:00', ARRIVED)).toBe('2020-05-18');
    expect(readTimestamp('2020-05-17T23:30:00-04:00')?.utc).toBe(false);
  });

  it('treats Z and +00:00 as UTC, whose local day may be a neighbour', () => {
    const ts = readTimestamp('2020-05-02T02:54:29.000Z')!;
    expect(ts.utc).toBe(true);
    expect(possibleLocalDays(ts).sort()).toEqual(['2020-05-01', '2020-05-02']);
    expect(readTimestamp('2020-12-24T23:59:50+00:00')?.utc).toBe(true);
    // 10:04 UTC is already 10:04 on the 9th in Hawaii (UTC−10) and may be the 10th only at UTC+14.
    expect(possibleLocalDays(readTimestamp('2020-07-09T10:04:04Z')!)).toEqual(['2020-07-09', '2020-07-10']);
  });

  it('never moves a day further than a real zone could', () => {
    const ts = readTimestamp('2020-05-02T12:00:00Z')!;
    expect(canBeLocalDay(ts, '2020-05-01')).toBe(false);
    expect(canBeLocalDay(ts, '2020-05-03')).toBe(true);
    expect(canBeLocalDay(ts, '2020-05-04')).toBe(false);
  });
});

describe('resolvePublicationDate', () => {
  const base = { text: '', arrivedAt: ARRIVED, preferUrlDate: true };

  it('settles a UTC timestamp with another timestamp of the page that has a real offset', () => {
    const found = resolvePublicationDate({
      ...base,
      metadata: ['2020-12-24T23:59:50+00:00', '2020-12-25T01:59:50+02:00'],
    });
    expect(found).toEqual({ day: '2020-12-25', source: 'metadata' });
  });

  it('settles a UTC timestamp with the day the page shows, when a zone allows it', () => {
    expect(
      resolvePublicationDate({ ...base, metadata: ['2020-12-05T23:15:00Z'], shownDay: '2020-12-06' })?.day,
    ).toBe('2020-12-06');
    // A shown day no zone allows (copyright line, a related story) changes nothing.
    expect(
      resolvePublicationDate({ ...base, metadata: ['2020-08-25T00:23:33Z'], shownDay: '2020-12-31' })?.day,
    ).toBe('2020-08-25');
  });

  it('takes the URL day when the timestamp can fall on it, and the timestamp when it cannot', () => {
    const url = 'https://news.example/politics/2020/07/08/story.html';
    expect(resolvePublicationDate({ ...base, url, metadata: ['2020-07-09T02:00:00Z'] })?.day).toBe(
      '2020-07-08',
    );
    expect(resolvePublicationDate({ ...base, url, metadata: ['2020-07-09T10:04:04Z'] })?.day).toBe(
      '2020-07-09',
    );
  });

  it('falls back to a dateline in the text', () => {
    const found = resolvePublicationDate({
      ...base,
      metadata: [],
      text: 'March 14, 2020\nPARIS - Protesters…',
    });
    expect(found).toEqual({ day: '2020-03-14', source: 'text' });
  });
});

describe('written and partial dates', () => {
  it('reads Arabic month names of both traditions and Arabic-Indic digits', () => {
    expect(arabicWrittenDate('الأربعاء، 07 أكتوبر 2020 - 12:09 م')).toBe('2020-10-07');
    expect(arabicWrittenDate('تم نشره الجمعة 24 نيسان / أبريل 2020 09:22 مساءً')).toBe('2020-04-24');
    expect(arabicWrittenDate('٢٤ تشرين الأول ٢٠١٩')).toBe('2019-10-24');
    expect(arabicWrittenDate('31 شباط 2020')).toBeNull();
    expect(parseMetadataDate('الأربعاء، 07 أكتوبر 2020 - 12:09 م', ARRIVED)).toBe('2020-10-07');
  });

  it('does not turn a month into a publication day', () => {
    expect(parseMetadataDate('Jul., 2001', ARRIVED)).toBeNull();
    expect(parseMetadataDate('July 4, 2001', ARRIVED)).toBe('2001-07-04');
  });

  it('resolves "on Thursday" to the most recent Thursday on or before arrival', () => {
    expect(findTextDate('The minister resigned on Thursday after the vote.', ARRIVED)?.day).toBe(
      '2020-12-31',
    );
  });
});
