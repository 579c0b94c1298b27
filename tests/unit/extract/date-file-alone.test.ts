/**
 * Dating a page that arrives without its URL (issue 20): each rule on a small hand-made page — the
 * addresses the page declares for itself, links to itself, the article's own <time> elements, a
 * zoneless timestamp that restates a UTC one, "Updated" versus "Published", and the false dates a
 * page shows (a site clock, "USA TODAY", a CMS's empty 0001-01-01).
 */
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { findTextDate, parseMetadataDate } from '../../../functions/core/extract/dates.ts';
import { hintedElementDate } from '../../../functions/core/extract/html/date-scan.ts';
import type { DomDocument } from '../../../functions/core/extract/html/dom.ts';
import { htmlPublicationDate } from '../../../functions/core/extract/html/index.ts';
import { articleTimeValues } from '../../../functions/core/extract/html/metadata.ts';
import { declaredSelfUrls, selfLinks } from '../../../functions/core/extract/html/self-links.ts';
import { resolvePublicationDate } from '../../../functions/core/extract/resolve-date.ts';

const ARRIVED = new Date('2021-06-01T00:00:00Z');
const BODY =
  '<p>The council voted on the harbour plan after a long debate that ran late into the evening, with residents packing the hall to hear it.</p>';

function doc(html: string): DomDocument {
  return parseHTML(html).document as unknown as DomDocument;
}

/** The page's date with no source URL, as an upload without metadata arrives. */
function dateAlone(html: string): string | null {
  const bytes = new TextEncoder().encode(html);
  return htmlPublicationDate(html, { key: 'page.html', bytes, arrivedAt: ARRIVED })?.day ?? null;
}

describe('addresses the page declares for itself', () => {
  it('lists canonical, og:url, twitter:url, AMP and the JSON-LD article url, best first', () => {
    const page = doc(`<head>
      <link rel="canonical" href="https://news.example/harbour-plan">
      <meta property="og:url" content="https://news.example/2021/03/04/harbour-plan">
      <meta name="twitter:url" content="https://news.example/t/harbour-plan">
      <link rel="amphtml" href="https://news.example/amp/2021/03/04/harbour-plan"></head>`);
    expect(
      declaredSelfUrls(page, [{ mainEntityOfPage: { '@id': 'https://news.example/ld/harbour-plan' } }]),
    ).toEqual([
      'https://news.example/harbour-plan',
      'https://news.example/2021/03/04/harbour-plan',
      'https://news.example/t/harbour-plan',
      'https://news.example/amp/2021/03/04/harbour-plan',
      'https://news.example/ld/harbour-plan',
    ]);
  });

  it('dates the page by og:url when the canonical link carries no date', () => {
    const html = `<html><head><title>Council backs harbour plan</title>
      <link rel="canonical" href="https://news.example/harbour-plan">
      <meta property="og:url" content="https://news.example/2021/03/04/harbour-plan"></head>
      <body><h1>Council backs harbour plan</h1>${BODY}</body></html>`;
    expect(dateAlone(html)).toBe('2021-03-04');
  });

  it("dates the page by its JSON-LD article's url", () => {
    const html = `<html><head><title>Council backs harbour plan</title>
      <script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"NewsArticle",
      "headline":"Council backs harbour plan","url":"https://news.example/2021/03/04/harbour-plan"}]}</script></head>
      <body><h1>Council backs harbour plan</h1>${BODY}</body></html>`;
    expect(dateAlone(html)).toBe('2021-03-04');
  });
});

describe('links to itself', () => {
  const headline = 'Council backs the harbour plan after long debate';

  it('finds a share button carrying the page address and a permalink made from the headline', () => {
    const page = doc(`<body>
      <a href="https://social.example/share?u=https%3A%2F%2Fnews.example%2F2021%2F03%2F04%2Fcouncil-backs-harbour-plan">Share</a>
      <a href="/2021/02/11/harbour-plan-faces-opposition">Earlier</a>
      <a href="/2021/03/04/council-backs-harbour-plan-after-long-debate">Permalink</a></body>`);
    expect(selfLinks(page, headline, () => true)).toEqual([
      '/2021/03/04/council-backs-harbour-plan-after-long-debate',
      'https://news.example/2021/03/04/council-backs-harbour-plan',
    ]);
  });

  it('takes no related story that shares only a topic word or two with the headline', () => {
    const page = doc(`<body><a href="/2021/02/11/harbour-plan-faces-opposition-from-fishing-crews">Earlier</a>
      <a href="/2021/01/05/council-budget-row">Budget</a></body>`);
    expect(selfLinks(page, headline, () => true)).toEqual([]);
  });

  it('dates a page with no other evidence by its own share link', () => {
    const html = `<html><head><title>Council backs the harbour plan after long debate</title></head><body>
      <h1>Council backs the harbour plan after long debate</h1>${BODY}
      <a href="https://social.example/intent?url=https://news.example/2021/03/04/council-backs-harbour-plan">Share</a>
      <a href="https://news.example/2021/05/30/weather-warning-issued">Latest</a></body></html>`;
    expect(dateAlone(html)).toBe('2021-03-04');
  });

  it("settles a late-evening UTC timestamp on the day of the page's own link", () => {
    const evidence = {
      metadata: ['2021-03-05T02:10:00Z'],
      selfLinkUrls: ['/2021/03/04/council-backs-harbour-plan'],
      text: '',
      arrivedAt: ARRIVED,
    };
    expect(resolvePublicationDate(evidence)?.day).toBe('2021-03-04');
    // Without the link the UTC day stands.
    expect(resolvePublicationDate({ ...evidence, selfLinkUrls: [] })?.day).toBe('2021-03-05');
  });
});

describe("the article's own <time> elements", () => {
  it('skips times of related and latest stories and the edit time, keeps the marked publication time', () => {
    const page = doc(`<body>
      <nav><time datetime="2021-05-31T09:00">Today</time></nav>
      <article><h1>Harbour</h1>
        <time class="updated" datetime="2021-03-06T10:00:00+01:00">Updated</time>
        <time datetime="2021-03-04T18:00:00+01:00">4 March</time>
        <aside><time datetime="2021-03-01T08:00:00+01:00">1 March</time></aside>
        <div class="related-stories"><ul><li><time datetime="2021-02-27T08:00:00+01:00">27 Feb</time></li></ul></div>
        <footer><time datetime="2021-03-04T18:00:00+01:00" pubdate>4 March</time></footer>
      </article></body>`);
    expect(articleTimeValues(page)).toEqual(['2021-03-04T18:00:00+01:00', '2021-03-04T18:00:00+01:00']);
  });

  it('does not let a related story dated the next day move a UTC publication time', () => {
    const html = `<html><head><title>Council backs harbour plan</title>
      <meta property="article:published_time" content="2021-03-04T13:16+0000"></head><body>
      <h1>Council backs harbour plan</h1>${BODY}
      <div class="more-stories"><time datetime="2021-03-05T09:42:20">5 March</time></div></body></html>`;
    expect(dateAlone(html)).toBe('2021-03-04');
  });
});

describe('zoneless timestamps', () => {
  it('reads a zoneless time as the local time, unless the page writes the same instant in UTC', () => {
    const shown = { text: '', arrivedAt: ARRIVED, shownDay: '2021-03-04' };
    // Alone it is the CMS's local time: its day stands against a day shown elsewhere.
    expect(resolvePublicationDate({ ...shown, metadata: ['2021-03-05T01:50:59'] })?.day).toBe('2021-03-05');
    // Restating a UTC instant, it is as uncertain as that one, and the shown day settles it.
    expect(
      resolvePublicationDate({ ...shown, metadata: ['2021-03-05T01:50:59', '2021-03-05T01:50:59.403Z'] })
        ?.day,
    ).toBe('2021-03-04');
  });

  it('settles a UTC time only by another timestamp written with a real offset, not a zoneless one', () => {
    const base = { text: '', arrivedAt: ARRIVED };
    expect(
      resolvePublicationDate({ ...base, metadata: ['2021-03-04T22:57:38Z', '2021-03-05T11:14'] })?.day,
    ).toBe('2021-03-04');
    expect(
      resolvePublicationDate({ ...base, metadata: ['2021-03-04T22:57:38Z', '2021-03-05T01:57:38+03:00'] })
        ?.day,
    ).toBe('2021-03-05');
  });
});

describe('what the page shows that is not its date', () => {
  it("refuses a CMS's empty 0001-01-01 timestamp", () => {
    expect(parseMetadataDate('0001-01-01T00:00:00Z', ARRIVED)).toBeNull();
    const html = `<html><head><title>Council backs harbour plan</title>
      <script type="application/ld+json">{"@type":"NewsArticle","datePublished":"0001-01-01T00:00:00Z"}</script>
      </head><body><h1>Council backs harbour plan</h1><div class="byline">Published 7:07 PM EST Mar 4, 2021</div>${BODY}</body></html>`;
    expect(dateAlone(html)).toBe('2021-03-04');
  });

  it('does not read the "Today" of an outlet name as a date', () => {
    const page = doc(
      '<div class="byline-section">Ann Lee USA TODAY</div><div class="date">Mar 4, 2021</div>',
    );
    expect(hintedElementDate(page, ARRIVED)).toBe('2021-03-04');
  });

  it("skips a site clock and the page's modified time among date-labelled elements", () => {
    const page = doc(`<div class="b-sitenav__time">11:39 GMT 31 May 2021</div>
      <meta itemprop="dateModified" content="2021-03-06T11:14:24Z">
      <time class="article-date" datetime="2021-03-04T22:57">22:57 GMT 04.03.2021</time>`);
    expect(hintedElementDate(page, ARRIVED)).toBe('2021-03-04');
  });
});

describe('"Updated" versus "Published" in the text', () => {
  it('takes the published date over an update shown first', () => {
    const text = 'Updated 5 March 2021\nPublished 3 March 2021\nThe council voted on the plan.';
    expect(findTextDate(text, ARRIVED)?.day).toBe('2021-03-03');
  });

  it('takes the published date when the update follows it on the same line', () => {
    expect(
      findTextDate('Published 3 March 2021, updated 5 March 2021. The council voted.', ARRIVED)?.day,
    ).toBe('2021-03-03');
  });

  it("takes an update's date when the page shows no other", () => {
    expect(findTextDate('Last updated 10:32 GMT, 5 March 2021\nThe council voted.', ARRIVED)?.day).toBe(
      '2021-03-05',
    );
  });
});
