/**
 * The main job as a user runs it: `npm run digest -- --in <dir> --out <dir> --now <ISO>` on a copy of
 * the seeds, checked against the acceptance of the foundation issue (DESIGN.md §3 contracts).
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_RECIPIENT } from '../../functions/adapters/local-email.ts';
import { verifyUnsubscribeToken } from '../../functions/core/render/unsubscribe-token.ts';
import { TEXT_WIDTH } from '../../functions/core/render/wrap.ts';
import { signingKeysFrom } from '../../functions/core/signing-keys.ts';
import type { ArticleRecord, Digest } from '../../functions/core/types.ts';
import { expectNoRestatements } from '../support/restatements.ts';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
const NOW = '2026-11-22T08:00:00Z';

/** Gmail clips a message whose HTML is larger than this (the renderer aims at HTML_BUDGET_BYTES below it). */
const GMAIL_CLIP_BYTES = 102 * 1024;

/**
 * The key the CLI signs the local emails' unsubscribe links with. Read from functions/cli.ts, which
 * runs its command when imported, so that this test follows the key if it ever changes.
 */
function localUnsubscribeSecret(): string {
  const source = readFileSync(join(ROOT, 'functions', 'cli.ts'), 'utf8');
  const secret = /const LOCAL_UNSUBSCRIBE_SECRET = '([^']+)'/.exec(source)?.[1];
  if (!secret) throw new Error('LOCAL_UNSUBSCRIBE_SECRET not found in functions/cli.ts; update this test.');
  return secret;
}

const JUNK = [
  /cookies/i,
  /READ MORE/i,
  /latest from russia/i,
  /live blog/i,
  /Getty Images/i,
  /QuickTake/i,
  /South Korea/i,
  /xnxx/i,
];

async function digestCli(inputDir: string, outputDir: string) {
  return run(
    process.execPath,
    ['--import', 'tsx', 'functions/cli.ts', 'digest', '--in', inputDir, '--out', outputDir, '--now', NOW],
    {
      cwd: ROOT,
    },
  );
}

function readRecords(outputDir: string): ArticleRecord[] {
  return readFileSync(join(outputDir, 'articles.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as ArticleRecord);
}

function readDigests(outputDir: string): Map<string, Digest> {
  const digests = new Map<string, Digest>();
  for (const name of readdirSync(join(outputDir, 'digests'))) {
    digests.set(
      name.slice(0, 10),
      JSON.parse(readFileSync(join(outputDir, 'digests', name), 'utf8')) as Digest,
    );
  }
  return digests;
}

function snapshot(outputDir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const folder of ['digests', 'email', 'site']) {
    for (const name of readdirSync(join(outputDir, folder))) {
      files[`${folder}/${name}`] = readFileSync(join(outputDir, folder, name), 'utf8');
    }
  }
  files['articles.jsonl'] = readFileSync(join(outputDir, 'articles.jsonl'), 'utf8');
  return files;
}

let work: string;
let inputDir: string;
let outputDir: string;
let firstRun: { stdout: string; stderr: string };

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'digest-cli-'));
  inputDir = join(work, 'in');
  outputDir = join(work, 'out');
  cpSync(join(ROOT, 'seeds'), inputDir, { recursive: true });
  firstRun = await digestCli(inputDir, outputDir);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

const seed = (prefix: string) => (record: { source: string }) => record.source.startsWith(prefix);

describe('npm run digest on the seeds', () => {
  it('prints a human summary of what happened', () => {
    expect(firstRun.stdout).toMatch(/Processed 5 file\(s\)/);
    expect(firstRun.stdout).toMatch(/new articles: 5/);
    expect(firstRun.stdout).toMatch(/2022-02-28: 1 story/);
    expect(firstRun.stdout).toMatch(/email/i);
  });

  it('groups 000, 001 and 002 into one story on 2022-02-28, and 003 and 004 into stories of their own', () => {
    const records = readRecords(outputDir);
    const story = (prefix: string) => records.find(seed(prefix))?.storyId;
    expect(story('000')).toBeTruthy();
    expect(story('001')).toBe(story('000'));
    expect(story('002')).toBe(story('000'));
    expect(new Set([story('000'), story('003'), story('004')]).size).toBe(3);
    const talks = readDigests(outputDir).get('2022-02-28');
    expect(talks?.stories.find((s) => s.id === story('000'))?.articles).toHaveLength(3);
  });

  it('dates 000 and 001 from their text, 003 from its header, and 002 from its story', () => {
    const records = readRecords(outputDir);
    expect(records.find(seed('000'))).toMatchObject({ publishedAt: '2022-02-28', dateSource: 'text' });
    expect(records.find(seed('001'))).toMatchObject({ publishedAt: '2022-02-28', dateSource: 'text' });
    expect(records.find(seed('002'))).toMatchObject({ publishedAt: '2022-02-28', dateSource: 'story' });
    expect(records.find(seed('003'))).toMatchObject({ publishedAt: '2022-03-04', dateSource: 'metadata' });
  });

  it('lets no page junk into articles.jsonl, the digests or the emails', () => {
    const outputs = snapshot(outputDir);
    for (const [name, content] of Object.entries(outputs)) {
      const text =
        name === 'articles.jsonl'
          ? readRecords(outputDir)
              .map((r) => r.text)
              .join('\n')
          : content;
      for (const junk of JUNK) expect(text, `${junk} in ${name}`).not.toMatch(junk);
    }
  });

  it('builds summaries from verbatim, attributed sentences drawn from more than one outlet', () => {
    const records = readRecords(outputDir);
    const textById = new Map(records.map((r) => [r.id, r.text]));
    for (const digest of readDigests(outputDir).values()) {
      for (const story of digest.stories) {
        const texts = story.summary.map((s) => s.text);
        expect(new Set(texts).size).toBe(texts.length);
        for (const sentence of story.summary) {
          expect(story.articles.map((a) => a.id)).toContain(sentence.articleId);
          expect(textById.get(sentence.articleId)).toContain(sentence.text);
        }
        if (story.articles.length >= 3) {
          expect(new Set(story.summary.map((s) => s.articleId)).size).toBeGreaterThan(1);
        }
      }
    }
  });

  it('builds summaries in which no sentence mostly repeats the content terms of another', () => {
    for (const digest of readDigests(outputDir).values()) {
      for (const story of digest.stories) {
        expectNoRestatements(story.summary);
      }
    }
  });

  it('writes an email for every digest day', () => {
    for (const day of readDigests(outputDir).keys()) {
      for (const extension of ['html', 'txt', 'eml']) {
        expect(readFileSync(join(outputDir, 'email', `${day}.${extension}`), 'utf8').length).toBeGreaterThan(
          0,
        );
      }
    }
  });

  it('writes each day as a one-click-unsubscribe MIME message whose parts are the .html and .txt files', async () => {
    const days = [...readDigests(outputDir).keys()];
    expect(days.length).toBeGreaterThan(0);
    for (const day of days) {
      const base = join(outputDir, 'email', day);
      const raw = readFileSync(`${base}.eml`);
      const html = readFileSync(`${base}.html`, 'utf8');
      const text = readFileSync(`${base}.txt`, 'utf8');
      const mail = await simpleParser(raw);

      expect(mail.headers.get('content-type'), day).toMatchObject({ value: 'multipart/alternative' });
      expect(raw.toString('latin1').match(/^Content-Type: text\/(plain|html);/gm), day).toEqual([
        'Content-Type: text/plain;',
        'Content-Type: text/html;',
      ]);
      expect(mail.html, day).toBe(html);
      expect(mail.text, day).toBe(text);
      expect(Buffer.byteLength(html, 'utf8'), day).toBeLessThan(GMAIL_CLIP_BYTES);

      // mailparser folds List-* headers into a summary; read the header lines as sent, unfolded.
      const header = (name: string) =>
        mail.headerLines
          .find((h) => h.key === name)
          ?.line.replace(/\r\n[ \t]+/g, ' ')
          .replace(/^[^:]+:\s*/, '');
      const listUnsubscribe = header('list-unsubscribe') ?? '';
      const targets = [...listUnsubscribe.matchAll(/<([^>]+)>/g)].map((m) => m[1] ?? '');
      const httpsUrl = targets.find((t) => t.startsWith('https://'));
      expect(httpsUrl, `${day}: ${listUnsubscribe}`).toBeDefined();
      expect(
        targets.some((t) => t.startsWith('mailto:')),
        listUnsubscribe,
      ).toBe(true);
      expect(header('list-unsubscribe-post'), day).toBe('List-Unsubscribe=One-Click');
      // DESIGN.md §3: every .eml carries an RFC 2919 List-Id (a phrase, then <label.domain>).
      expect(header('list-id'), day).toMatch(/^.*<[a-z0-9-]+(\.[a-z0-9-]+)+>$/);
      expect(header('feedback-id'), day).toMatch(new RegExp(`^${day}:daily:[^:]+:[^:]+$`));
      // The sender's domain as the message's own From header gives it (the local config may change it).
      const senderDomain = mail.from?.value[0]?.address?.split('@')[1] ?? '';
      expect(senderDomain, day).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i);
      expect(mail.messageId?.replace(/^<[^@<>\s]+@(.+)>$/, '$1'), day).toBe(senderDomain);

      const token = new URL(httpsUrl ?? '').searchParams.get('token') ?? '';
      const sentAt = new Date(`${day}T08:00:00Z`);
      expect(token, day).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
      expect(verifyUnsubscribeToken(token, signingKeysFrom(localUnsubscribeSecret()), sentAt), day).toBe(
        SAMPLE_RECIPIENT,
      );
      expect(verifyUnsubscribeToken(token, [{ version: 1, secret: 'another-key' }], sentAt), day).toBeNull();
      // The same link is the one the reader can click in both parts.
      expect(text).toContain(`<${httpsUrl}>`);
      expect(html).toContain(`href="${(httpsUrl ?? '').replace(/=/g, '&#61;')}"`);

      // 72 columns, except a line that is one URL too long to break (see plain-text.ts).
      const overlong = text
        .split('\n')
        .filter((line) => Array.from(line).length > TEXT_WIDTH)
        .filter((line) => !/^\s*<https?:\/\/\S+>$/.test(line));
      expect(overlong, day).toEqual([]);
    }
  });

  it('publishes the archive site: an index, a page per day with stories, both feeds, and nothing per reader', () => {
    const site = readdirSync(join(outputDir, 'site')).sort();
    const days = [...readDigests(outputDir).values()].filter((d) => d.stories.length > 0).map((d) => d.date);
    expect(site).toEqual(
      expect.arrayContaining(['index.html', 'feed.xml', 'feed.json', ...days.map((d) => `${d}.html`)]),
    );
    expect(firstRun.stdout).toContain(join(outputDir, 'site'));
    const token = /token=([^"&\s]+)/.exec(
      readFileSync(join(outputDir, 'email', `${days[0]}.txt`), 'utf8'),
    )?.[1];
    expect(token).toBeTruthy();
    for (const name of site) {
      const body = readFileSync(join(outputDir, 'site', name), 'utf8');
      expect(body).not.toContain(SAMPLE_RECIPIENT);
      expect(body).not.toContain(token);
      expect(body).not.toMatch(/unsubscribe|token=/i);
    }
  });

  it('changes nothing when run again on the same files', async () => {
    const before = snapshot(outputDir);
    const again = await digestCli(inputDir, outputDir);
    expect(again.stdout).toMatch(/unchanged: 5/);
    expect(snapshot(outputDir)).toEqual(before);
  });

  it('marks a reprint of 000 with a reworded header and a changed line as a duplicate, not a new story', async () => {
    const original = readFileSync(join(inputDir, '000_43da1c7f9cb7f9a2.txt'), 'utf8');
    const reprint = original
      .replace('Russia and Ukraine start ceasefire talks', 'Ceasefire talks begin between Russia and Ukraine')
      .replace(
        'The Russian advance has gone more slowly than some expected.',
        'The Russian advance has been slower than many expected.',
      );
    writeFileSync(join(inputDir, '005_reprint.txt'), reprint);
    const storiesBefore = [...readDigests(outputDir).values()].reduce((n, d) => n + d.stories.length, 0);
    await digestCli(inputDir, outputDir);
    const records = readRecords(outputDir);
    const record = records.find(seed('005'));
    // A duplicate is listed as an extra source of the original's story, so it carries that story's id.
    expect(record).toMatchObject({
      duplicateOf: '000_43da1c7f9cb7f9a2.txt',
      storyId: records.find(seed('000'))?.storyId,
      rejected: null,
    });
    const storiesAfter = [...readDigests(outputDir).values()].reduce((n, d) => n + d.stories.length, 0);
    expect(storiesAfter).toBe(storiesBefore);
    const talks = readDigests(outputDir).get('2022-02-28');
    expect(talks?.stories.flatMap((s) => s.duplicates.map((d) => d.source))).toContain('005_reprint.txt');
  });

  it('reports an empty file, a binary file and invalid UTF-8 with a reason, and still exits 0', async () => {
    writeFileSync(join(inputDir, 'empty.txt'), '');
    writeFileSync(
      join(inputDir, 'photo.png'),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48]),
    );
    writeFileSync(
      join(inputDir, 'broken.txt'),
      Buffer.concat([
        Buffer.from('Talks résumé in Gomel as delegations meet ', 'utf8'),
        Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xff]),
        Buffer.from(' more text follows here\n'),
      ]),
    );
    const result = await digestCli(inputDir, outputDir); // execFile rejects on a non-zero exit code
    expect(result.stdout).toMatch(/rejected: 3/);
    const records = readRecords(outputDir);
    for (const name of ['empty.txt', 'photo.png', 'broken.txt']) {
      const record = records.find((r) => r.source === name);
      expect(record?.rejected, name).toMatch(/\w+: .{10,}/);
      expect(record?.storyId).toBeNull();
    }
    expect(records.find((r) => r.source === 'empty.txt')?.rejected).toMatch(/^empty/);
    expect(records.find((r) => r.source === 'photo.png')?.rejected).toMatch(/^binary/);
    expect(records.find((r) => r.source === 'broken.txt')?.rejected).toMatch(/^invalid-encoding/);
  });

  it('refuses a --workers value that is not a count, saying what it takes', async () => {
    const failure = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        'functions/cli.ts',
        'digest',
        '--in',
        inputDir,
        '--out',
        outputDir,
        '--workers',
        'many',
      ],
      { cwd: ROOT },
    ).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: expect.any(Number) });
    expect((failure as { stderr: string }).stderr).toMatch(
      /--workers must be a whole number from 0 to 64, or auto/,
    );
  });
});
