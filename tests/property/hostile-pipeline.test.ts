/**
 * Property/fuzz tests of extract → StoryEngine → digest on hostile input: arbitrary bytes, arbitrary
 * Unicode text, arbitrary JSON and HTML-ish tag soup, each alone or spliced into a real article.
 *
 *  - extraction never throws anything but InputRejectedError;
 *  - no file is lost: the newsroom holds exactly one record per distinct source;
 *  - every digest satisfies the schemaVersion 1 contract (tests/support/digest-schema.ts), also after
 *    the engine state is saved and reloaded.
 *
 * Run counts are modest on purpose (shared CPU); fast-check's seed is printed on failure for replay.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputRejectedError } from '../../functions/core/errors.ts';
import { extractArticle } from '../../functions/core/extract/index.ts';
import { StoryEngine } from '../../functions/core/stories/story-engine.ts';
import { generatedArticle } from '../hostile/articles.ts';
import { validateDigest } from '../support/digest-schema.ts';

const ARRIVED = new Date('2022-03-20T08:00:00Z');
const encoder = new TextEncoder();

/** Pieces of markup that stress parsers: unbalanced, scripts, comments, entities, odd attributes. */
const TAGS = [
  '<div>',
  '</div>',
  '<p>',
  '</p>',
  '<span class="a">',
  '</span>',
  '<script>',
  '</script>',
  '<style>',
  '</style>',
  '<!--',
  '-->',
  '<![CDATA[',
  ']]>',
  '<br/>',
  '<img src=x onerror=alert(1)>',
  '<a href="javascript:x">',
  '</a>',
  '&amp;',
  '&#0;',
  '&#x1F600;',
  '&nbsp;',
  '<title>',
  '</title>',
  '<meta property="og:title" content="',
  '">',
  '<time datetime="2022-02-30">',
  '<h1>',
  '</h1>',
  '<table><tr><td>',
  '<svg><foreignObject>',
  '<?xml?>',
  '<!doctype html>',
  '<html>',
  '<body>',
  '<article>',
  '</article>',
  '<noscript>',
  '<template>',
  '<p',
  '"',
  "'",
  '<',
  '>',
];

const words = fc.constantFrom(
  'The',
  'council',
  'said',
  'on',
  'Monday',
  'March',
  '8,',
  '2022',
  'that',
  'the',
  'harbour',
  'reopened.',
  'Officials',
  'in',
  'Kyiv',
  'and',
  'Moscow',
  'met',
  'again',
  '—',
  'Zürich',
  'café',
  '2,000',
  'people',
);

const tagSoup = fc
  .array(fc.oneof(fc.constantFrom(...TAGS), words, fc.string({ maxLength: 8 })), { maxLength: 200 })
  .map((parts) => parts.join(' '));

/** A real article with hostile content spliced in at a random point (so extraction often succeeds). */
function spliced(junk: fc.Arbitrary<string>) {
  return fc.tuple(fc.integer({ min: 0, max: 3000 }), junk, fc.nat({ max: 40 })).map(([index, text, at]) => {
    const article = generatedArticle(10_000 + index).text;
    const cut = Math.floor((article.length * at) / 40);
    return `${article.slice(0, cut)}${text}${article.slice(cut)}`;
  });
}

const EXTENSIONS = ['txt', 'md', 'html', 'json', 'htm', '', 'bin', 'txt.gz'];

const document = fc.oneof(
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 3000 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 800 }).map((s) => encoder.encode(s)) },
  { weight: 2, arbitrary: fc.json({ maxDepth: 6 }).map((s) => encoder.encode(s)) },
  {
    weight: 2,
    arbitrary: fc
      .record({
        title: fc.string({ unit: 'binary', maxLength: 60 }),
        text: fc.option(fc.string(), { nil: undefined }),
      })
      .chain((r) =>
        spliced(fc.constant('')).map((body) => encoder.encode(JSON.stringify({ ...r, maintext: body }))),
      ),
  },
  { weight: 3, arbitrary: tagSoup.map((s) => encoder.encode(s)) },
  { weight: 3, arbitrary: spliced(tagSoup).map((s) => encoder.encode(s)) },
  {
    weight: 2,
    arbitrary: spliced(fc.string({ unit: 'binary', maxLength: 200 })).map((s) => encoder.encode(s)),
  },
  { weight: 2, arbitrary: spliced(fc.constant('')).map((s) => encoder.encode(s)) },
);

const batch = fc.array(fc.tuple(fc.constantFrom(...EXTENSIONS), document), { minLength: 1, maxLength: 6 });

async function runPipeline(files: readonly (readonly [string, Uint8Array])[]) {
  const newsroom = StoryEngine.empty();
  const sources = new Set<string>();
  for (const [i, [extension, bytes]] of files.entries()) {
    // A repeated key now and then: the same source delivered again must not add a record.
    const source = `fuzz/${i % 4}${extension ? `.${extension}` : ''}`;
    sources.add(source);
    try {
      const article = await extractArticle({ key: source, bytes, arrivedAt: ARRIVED });
      newsroom.ingest({ source, article, arrivedAt: ARRIVED });
    } catch (error) {
      if (!(error instanceof InputRejectedError)) throw error;
      expect(error.reason).toMatch(/^[a-z-]+: \S/);
      newsroom.reject({ source, reason: error.reason, arrivedAt: ARRIVED });
    }
  }
  return { newsroom, sources };
}

function assertInvariants(newsroom: StoryEngine, sources: ReadonlySet<string>) {
  const records = newsroom.records();
  expect(records.map((r) => r.source).sort()).toEqual([...sources].sort());
  for (const record of records) {
    // Rejected, or placed in a story (a duplicate is placed in the story of the article it repeats).
    expect(record.rejected === null, `${record.source}: rejected xor in a story`).toBe(
      record.storyId !== null,
    );
    if (record.rejected !== null) expect(record.duplicateOf).toBeNull();
  }
  const members = new Set<string>();
  const duplicates = new Set<string>();
  for (const day of newsroom.days()) {
    const digest = newsroom.digest(day);
    expect(validateDigest(digest)).toEqual([]);
    for (const story of digest.stories) {
      for (const a of story.articles) members.add(a.source);
      for (const d of story.duplicates) duplicates.add(d.source);
    }
  }
  for (const record of records) {
    if (record.storyId === null) continue;
    if (record.duplicateOf === null) expect(members).toContain(record.source);
    else expect(duplicates).toContain(record.source);
  }
}

/** Replays a reported failure: FC_SEED=<seed> FC_PATH=<path> npx vitest run tests/property/hostile-pipeline.test.ts */
const replay = process.env.FC_SEED
  ? { seed: Number(process.env.FC_SEED), ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}) }
  : {};

describe('hostile pipeline properties', () => {
  it('extraction throws only InputRejectedError, no file is lost, every digest is valid', async () => {
    await fc.assert(
      fc.asyncProperty(batch, async (files) => {
        const { newsroom, sources } = await runPipeline(files);
        assertInvariants(newsroom, sources);
      }),
      { numRuns: 60, ...replay },
    );
  });

  it('keeps those invariants after the engine state is saved and reloaded', async () => {
    await fc.assert(
      fc.asyncProperty(batch, batch, async (first, second) => {
        const { newsroom, sources } = await runPipeline(first);
        const reloaded = StoryEngine.fromState(JSON.parse(JSON.stringify(newsroom.toState())));
        assertInvariants(reloaded, sources);
        expect(reloaded.records()).toEqual(newsroom.records());
        for (const [i, [extension, bytes]] of second.entries()) {
          const source = `more/${i}.${extension || 'txt'}`;
          sources.add(source);
          try {
            const article = await extractArticle({ key: source, bytes, arrivedAt: ARRIVED });
            reloaded.ingest({ source, article, arrivedAt: ARRIVED });
          } catch (error) {
            if (!(error instanceof InputRejectedError)) throw error;
            reloaded.reject({ source, reason: error.reason, arrivedAt: ARRIVED });
          }
        }
        assertInvariants(reloaded, sources);
      }),
      { numRuns: 25, ...replay },
    );
  });
});
