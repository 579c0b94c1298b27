/**
 * Hostile input through the ingest use case with the filesystem adapters: each group of hostile files
 * is ingested as one batch together with a good article. Every hostile file must end processed
 * correctly or quarantined with a clear reason, and the good article must land in a story regardless.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FsArticleSource, FsDigestStore, safeRelativePath } from '../../functions/adapters/fs-store.ts';
import { ingestBatch } from '../../functions/app/ingest-batch.ts';
import { quarantineRecordName } from '../../functions/core/quarantine-key.ts';
import type { ArticleRecord, Digest } from '../../functions/core/types.ts';
import { validateDigest } from '../support/digest-schema.ts';
import { generatedArticle } from './articles.ts';
import { goodArticle, HOSTILE_CASES } from './cases.ts';

const ARRIVED = new Date('2022-03-20T08:00:00Z');
const base = mkdtempSync(join(tmpdir(), 'hostile-'));

afterAll(() => rmSync(base, { recursive: true, force: true }));

function readRecords(out: string): ArticleRecord[] {
  return readFileSync(join(out, 'articles.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as ArticleRecord);
}

function readDigests(out: string): Digest[] {
  const dir = join(out, 'digests');
  return readdirSync(dir).map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as Digest);
}

/** Every file below `dir`, relative, sorted. */
function tree(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

describe.each(Object.keys(HOSTILE_CASES))('hostile batch: %s', (group) => {
  const cases = HOSTILE_CASES[group] ?? [];
  const root = join(base, group);
  const inDir = join(root, 'in');
  const outDir = join(root, 'out');
  const outside = join(root, 'outside');
  const good = goodArticle(group);

  const run = async () => {
    mkdirSync(inDir, { recursive: true });
    // A decoy where a `../outside/...` key would lead if traversal were possible: a readable article.
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, 'escape.png'), generatedArticle(9999).text);
    for (const c of [...cases, { key: good.key, bytes: () => good.bytes }]) {
      const path = join(inDir, safeRelativePath(c.key));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, c.bytes());
    }
    return ingestBatch(
      [...cases.map((c) => ({ key: c.key, arrivedAt: ARRIVED })), { key: good.key, arrivedAt: ARRIVED }],
      { source: new FsArticleSource(inDir), store: new FsDigestStore(outDir) },
    );
  };
  let report: Awaited<ReturnType<typeof run>>;

  it('accounts for every file: no failure, nothing missing, one record per distinct source', async () => {
    report = await run();
    expect(report.files.map((f) => f.key)).toEqual([...cases.map((c) => c.key), good.key]);
    for (const file of report.files) expect(['story', 'duplicate', 'rejected']).toContain(file.outcome.kind);
    const sources = readRecords(outDir).map((r) => r.source);
    expect(sources.sort()).toEqual([...new Set([...cases.map((c) => c.key), good.key])].sort());
  });

  it('still puts the good article of the batch into a story of the digest', () => {
    const outcome = report.files.find((f) => f.key === good.key)?.outcome;
    expect(outcome?.kind).toBe('story');
    const members = readDigests(outDir).flatMap((d) => d.stories.flatMap((s) => s.articles));
    expect(members.find((a) => a.source === good.key)?.title).toBe(good.title);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const record = readRecords(outDir).find((r) => r.source === c.key);
    const outcome = report.files.find((f) => f.key === c.key)?.outcome;
    if (c.expected.kind === 'rejected') {
      expect(outcome?.kind).toBe('rejected');
      expect(record?.rejected).toMatch(new RegExp(`^${c.expected.code}: \\S`));
      expect(record?.storyId).toBeNull();
      // The reason tells the contributor what to do, not just what went wrong.
      expect(record?.rejected?.length ?? 0).toBeGreaterThan(c.expected.code.length + 30);
      const quarantined = JSON.parse(
        readFileSync(join(outDir, 'quarantine', ...quarantineRecordName(c.key).split('/')), 'utf8'),
      ) as { key: string; reason: string };
      expect(quarantined).toMatchObject({ key: c.key, reason: record?.rejected });
    } else {
      expect(outcome?.kind).toBe('story');
      expect(record?.rejected).toBeNull();
      expect(record?.storyId).toEqual(expect.any(String));
      if (c.expected.title) expect(record?.title).toBe(c.expected.title);
      for (const sentence of c.expected.text ?? []) expect(record?.text).toContain(sentence);
      for (const fragment of c.expected.absent ?? []) expect(record?.text).not.toContain(fragment);
      expect(record?.text).not.toMatch(/\ufffd|[\u0080-\u009f]/); // no replacement chars, no C1 mojibake
      const members = readDigests(outDir).flatMap((d) => d.stories.flatMap((s) => s.articles));
      expect(members.map((a) => a.source)).toContain(c.key);
    }
  });

  it('writes only inside the output folder, and reads only inside the input folder', () => {
    expect(readdirSync(root).sort()).toEqual(['in', 'out', 'outside']);
    expect(tree(outside)).toEqual(['escape.png']);
    const records = readRecords(outDir);
    // The decoy outside the input folder is an article; had it been read, it would be a story.
    for (const r of records) expect(r.title ?? '').not.toBe(generatedArticle(9999).title);
    for (const path of tree(outDir))
      expect(path).toMatch(/^(articles\.jsonl|state\/|digests\/|quarantine\/)/);
  });

  it('writes digests that satisfy the schemaVersion 1 contract', () => {
    for (const digest of readDigests(outDir)) expect(validateDigest(digest)).toEqual([]);
  });

  it('changes nothing when the same batch is delivered again', async () => {
    const before = readFileSync(join(outDir, 'state', 'newsroom.json'), 'utf8');
    const again = await ingestBatch(
      [...cases.map((c) => ({ key: c.key, arrivedAt: ARRIVED })), { key: good.key, arrivedAt: ARRIVED }],
      { source: new FsArticleSource(inDir), store: new FsDigestStore(outDir) },
    );
    expect(again.files.map((f) => f.outcome.kind)).toEqual(report.files.map(() => 'unchanged'));
    expect(readFileSync(join(outDir, 'state', 'newsroom.json'), 'utf8')).toBe(before);
    expect(existsSync(join(outDir, 'articles.jsonl'))).toBe(true);
  });
});
