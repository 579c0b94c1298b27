/**
 * The ingest function as it is deployed: bundled by infra/bundling.ts (an ES module split into chunks,
 * the HTML parsers behind a lazy import) and run by plain Node in a process of its own, against s3rver and
 * dynalite.
 * The other integration tests run the TypeScript sources; this one proves the shipped artefact works.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_FILES, ENV_NAMES } from '../../functions/contracts.ts';
import type { Digest } from '../../functions/core/types.ts';
import { BUNDLE_ENTRY_FILE, bundleHandler } from '../../infra/bundling.ts';
import { HANDLER_ENTRIES } from '../../infra/paths.ts';
import { buildRequestedDigests } from '../support/requested-digests.ts';
import { type LocalAws, sqsEventFor, useLocalAws } from './support/aws-env.ts';
import { itemRecords } from './support/item-records.ts';
import { useItemTable } from './support/item-table.ts';

const ROOT = join(import.meta.dirname, '../..');
const run = promisify(execFile);

let aws: LocalAws;
let bundleDir: string;

beforeAll(async () => {
  aws = await useLocalAws();
  await useItemTable();
  bundleDir = mkdtempSync(join(tmpdir(), 'bundled-ingest-'));
  bundleHandler(HANDLER_ENTRIES.ingest, bundleDir);
});

afterAll(() => rmSync(bundleDir, { recursive: true, force: true }));

/** Invokes the bundle's handler in a fresh Node process with this test's environment; returns its response. */
async function invokeBundled(
  event: unknown,
  extraEnv: Record<string, string> = {},
): Promise<{ batchItemFailures: { itemIdentifier: string }[] }> {
  const script = `const { handler } = await import(${JSON.stringify(pathToFileURL(join(bundleDir, BUNDLE_ENTRY_FILE)).href)});
process.stdout.write(JSON.stringify(await handler(JSON.parse(process.argv[1]), {})));`;
  const { stdout } = await run(
    process.execPath,
    ['--input-type=module', '-e', script, JSON.stringify(event)],
    {
      env: { ...process.env, ...extraEnv },
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  // The handler logs JSON lines to stdout too; the response is the last thing written.
  const last = stdout.slice(stdout.lastIndexOf('{"batchItemFailures"'));
  return JSON.parse(last) as { batchItemFailures: { itemIdentifier: string }[] };
}

describe('the bundled ingest function on s3rver and dynalite', () => {
  it('ingests a text article and an HTML page (its lazily loaded chunk) into the bucket', async () => {
    const text = readFileSync(join(ROOT, 'seeds', '000_43da1c7f9cb7f9a2.txt'));
    const html = readFileSync(join(ROOT, 'tests', 'golden', 'html-page', 'input.html'));
    await aws.put('incoming/seed.txt', text);
    await aws.put('incoming/page.html', html);

    const response = await invokeBundled(
      sqsEventFor(aws.bucket, ['incoming/seed.txt', 'incoming/page.html']),
    );

    expect(response.batchItemFailures).toEqual([]);
    const records = await itemRecords();
    expect(records.map((r) => r.source).sort()).toEqual(['page.html', 'seed.txt']);
    expect(records.every((r) => r.rejected === null && r.storyId !== null)).toBe(true);
    const seed = records.find((r) => r.source === 'seed.txt');
    expect(seed?.publishedAt).toBe('2022-02-28');
    // The digest builder's source, not its bundle: the bundle under test is ingest's.
    await buildRequestedDigests(aws.s3, aws.bucket);
    const digest = JSON.parse((await aws.getText('digests/2022-02-28.json')) ?? 'null') as Digest | null;
    expect(digest?.stories.some((story) => story.articles.some((a) => a.source === 'seed.txt'))).toBe(true);
    // Only the lazily loaded HTML chunk (Readability on linkedom) can read these from the page.
    const page = records.find((r) => r.source === 'page.html');
    expect(page?.title).toBe('Port Ellery votes to rebuild harbour wall');
    expect(page?.publishedAt).toBe('2023-05-09');
    expect(page?.dateSource).toBe('metadata');
  });

  it('stops a page that runs past the time budget on its worker, quarantines it as too-slow, and goes on', async () => {
    expect(existsSync(join(bundleDir, BUNDLE_FILES.prepareWorker))).toBe(true);
    // Under the depth limit, but Readability rescans the deep chain for every paragraph: many seconds of CPU.
    const words = 'The council met on Tuesday to discuss the new budget for the city. ';
    const slow = `<html><body>${'<div>'.repeat(250)}${`<p>${words}</p>`.repeat(6_000)}${'</div>'.repeat(250)}</body></html>`;
    await aws.put('incoming/slow.html', Buffer.from(slow));
    await aws.put('incoming/after.txt', readFileSync(join(ROOT, 'seeds', '001_5574cf9b6b954155.txt')));

    // A budget far below what the page takes on any machine, so the outcome never depends on its speed.
    const response = await invokeBundled(
      sqsEventFor(aws.bucket, ['incoming/slow.html', 'incoming/after.txt']),
      { [ENV_NAMES.extractionBudgetMs]: '1000' },
    );

    expect(response.batchItemFailures).toEqual([]);
    const records = await itemRecords();
    expect(records.find((r) => r.source === 'slow.html')?.rejected).toMatch(/^too-slow: /);
    expect(records.find((r) => r.source === 'after.txt')?.storyId).not.toBeNull();
  });
});
