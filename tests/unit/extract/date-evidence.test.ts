/**
 * Page date evidence added for the MediaCloud misses (each on hand-made markup): the page's own time
 * zone, epoch timestamps in attributes, the dateline under the headline, and visible text that skips
 * script data but keeps short rendering calls.
 */
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import {
  epochAttributeDay,
  firstBodyDate,
  headlineZoneDate,
  hintedElementDate,
  visibleText,
} from '../../../functions/core/extract/html/date-scan.ts';
import type { DomDocument } from '../../../functions/core/extract/html/dom.ts';
import { pageZoneOffset } from '../../../functions/core/extract/html/page-zone.ts';
import { dayInZone, readTimestamp } from '../../../functions/core/extract/local-day.ts';
import { resolvePublicationDate } from '../../../functions/core/extract/resolve-date.ts';

const ARRIVED = new Date('2026-11-22T10:00:00Z');

function doc(html: string): DomDocument {
  return parseHTML(html).document as unknown as DomDocument;
}

describe('page time zone', () => {
  it('reads the commonest non-zero offset of ISO and RFC 2822 timestamps', () => {
    const html =
      '{"a":"2025-06-13T22:00:00-07:00","b":"Fri, 13 Jun 2025 18:00:00 -0700","c":"2025-06-14T02:30:00+00:00","d":"2025-06-13T09:00:00+02:00"}';
    expect(pageZoneOffset(html)).toBe(-420);
  });

  it('knows no zone from UTC timestamps alone', () => {
    expect(
      pageZoneOffset('"2025-06-14T02:30:00Z" "2025-06-14T02:30:00+00:00" "Sat, 14 Jun 2025 02:30:00 +0000"'),
    ).toBeNull();
  });

  it('converts a UTC timestamp to the day in that zone, both ways across midnight', () => {
    const early = readTimestamp('2025-06-14T02:30:00Z')!;
    expect(dayInZone(early, -420)).toBe('2025-06-13');
    expect(dayInZone(early, 120)).toBe('2025-06-14');
    const late = readTimestamp('2025-06-13T20:00:00Z')!;
    expect(dayInZone(late, 600)).toBe('2025-06-14');
    // A local-offset timestamp already names its local day.
    expect(dayInZone(readTimestamp('2025-06-14T02:30:00+03:00')!, -420)).toBe('2025-06-14');
  });

  it('settles a UTC publication time only when nothing written on the page does', () => {
    const base = { metadata: ['2025-06-14T02:30:00Z'], text: '', arrivedAt: ARRIVED };
    expect(resolvePublicationDate({ ...base, zoneOffsetMinutes: -420 })?.day).toBe('2025-06-13');
    expect(resolvePublicationDate(base)?.day).toBe('2025-06-14');
    // The URL's own day is direct evidence and wins over the inferred zone.
    expect(
      resolvePublicationDate({ ...base, url: 'https://x.example/2025/06/14/story', zoneOffsetMinutes: -420 })
        ?.day,
    ).toBe('2025-06-14');
  });
});

describe('epoch attributes', () => {
  const el = (attrs: Record<string, string>) => ({ getAttribute: (n: string) => attrs[n] ?? null });

  it('reads epoch seconds and milliseconds as a UTC day', () => {
    expect(epochAttributeDay(el({ 'data-time': '1741126500' }), ARRIVED)).toBe('2025-03-04');
    expect(epochAttributeDay(el({ 'data-time-ms': '1741126500000' }), ARRIVED)).toBe('2025-03-04');
  });

  it('ignores ids, future instants and other attributes', () => {
    expect(epochAttributeDay(el({ 'data-time': '99812' }), ARRIVED)).toBeNull();
    expect(epochAttributeDay(el({ 'data-time': '1999999999' }), ARRIVED)).toBeNull();
    expect(epochAttributeDay(el({ 'data-id': '1741126500' }), ARRIVED)).toBeNull();
  });
});

describe('hinted element with both a written and an epoch timestamp', () => {
  it('prefers the written one, which names the local day', () => {
    const d = doc(
      '<html><body><time class="published" datetime="2025-03-05T00:30:00+02:00" data-time="1741127400">5 Mar</time></body></html>',
    );
    expect(hintedElementDate(d, ARRIVED)).toBe('2025-03-05');
  });
});

describe('dateline under the headline', () => {
  const page = (between: string, title = 'River tolls should stay') =>
    doc(
      `<html><head><title>${title} | Notes</title></head><body><h1>River tolls should stay</h1>${between}` +
        '<p>On July 31, 2024, two county commissioners proposed scrapping the tolls on the old river bridge.</p></body></html>',
    );

  it('takes a whole-element date between the headline and the body', () => {
    expect(
      headlineZoneDate(page('<div class="x">August 6, 2024</div>'), ARRIVED, 'River tolls should stay'),
    ).toBe('2024-08-06');
  });

  it('never reads a date inside the body or one past the first body paragraph', () => {
    expect(headlineZoneDate(page(''), ARRIVED, 'River tolls should stay')).toBeNull();
    const after = doc(
      '<html><body><h1>River tolls should stay</h1><p>Two county commissioners proposed scrapping the tolls on the old river bridge before the autumn budget.</p><div>August 6, 2024</div></body></html>',
    );
    expect(headlineZoneDate(after, ARRIVED, 'River tolls should stay')).toBeNull();
  });

  it("skips 'today' clocks, updated and comment dates", () => {
    for (const cls of ['today', 'current-date', 'updated', 'comment-time']) {
      expect(
        headlineZoneDate(
          page(`<div class="${cls}">August 6, 2024</div>`),
          ARRIVED,
          'River tolls should stay',
        ),
      ).toBeNull();
    }
  });

  it("does not start at a masthead h1 that is not the page's title", () => {
    expect(
      headlineZoneDate(page('<div>August 6, 2024</div>'), ARRIVED, 'Bakery cooperative registers'),
    ).toBeNull();
  });
});

describe('visible text', () => {
  it('skips script data and styles but keeps short rendering calls', () => {
    const d = doc(
      '<html><body><style>.a{}</style><script>window.s={"createTime":"2019-02-02T03:02:36"}</script>' +
        '<p>Hello</p><script>showDate("2024/04/17 01:43")</script></body></html>',
    );
    const text = visibleText(d.body);
    expect(text).toContain('Hello');
    expect(text).toContain('2024/04/17');
    expect(text).not.toContain('createTime');
    expect(firstBodyDate(d, ARRIVED)).toBe('2024-04-17');
  });
});
