/**
 * `npm run subscribers` as an operator runs it, against the local store and against S3 (s3rver): the
 * command changes only the list it was told to change, says which one it changed, and refuses to
 * guess (no target, or both targets) or to add an address the briefing could never be sent to.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalAws, useLocalAws } from './support/aws-env.ts';

const ROOT = join(import.meta.dirname, '../..');
const CLI = join(ROOT, 'functions/cli.ts');
/** tsx's loader by path: the command runs in a scratch folder, outside the repository. */
const TSX = join(ROOT, 'node_modules/tsx/dist/loader.mjs');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

let aws: LocalAws;
let work: string;

/** Runs the CLI in `cwd` with the emulators' AWS settings; `bucketName` sets or clears BUCKET_NAME. */
function subscribers(cwd: string, args: string[], bucketName?: string): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.BUCKET_NAME;
  if (bucketName !== undefined) env.BUCKET_NAME = bucketName;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', TSX, CLI, 'subscribers', ...args],
      { cwd, env },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

function scratch(): string {
  return mkdtempSync(join(work, 'cwd-'));
}

beforeAll(async () => {
  aws = await useLocalAws();
  work = mkdtempSync(join(tmpdir(), 'subscribers-cli-'));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm run subscribers', () => {
  it('refuses to guess the list when given no target, and writes nothing', async () => {
    const cwd = scratch();
    const run = await subscribers(cwd, ['add', 'dee@example.org']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('--bucket <BucketName>');
    expect(run.stderr).toContain('--local');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('refuses --local and --bucket together, and writes to neither', async () => {
    const cwd = scratch();
    const run = await subscribers(cwd, ['add', 'dee@example.org', '--local', '--bucket', aws.bucket]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/not both/);
    expect(readdirSync(cwd)).toEqual([]);
    expect(await aws.getText('subscribers/list.json')).toBeNull();
  });

  it('adds to, lists and removes from the local store, and says so', async () => {
    const cwd = scratch();
    const added = await subscribers(cwd, ['add', ' Dee@Example.org ', '--local'], aws.bucket);
    expect(added).toMatchObject({ code: 0 });
    expect(added.stdout).toBe('Added dee@example.org to the local store at out/subscribers.json.\n');
    const stored = JSON.parse(readFileSync(join(cwd, 'out/subscribers.json'), 'utf8'));
    expect(stored.subscribers.map((s: { email: string }) => s.email)).toEqual(['dee@example.org']);
    // --local wins over BUCKET_NAME: the bucket was not touched.
    expect(await aws.getText('subscribers/list.json')).toBeNull();

    expect((await subscribers(cwd, ['list', '--local'])).stdout).toBe('dee@example.org\n');
    const removed = await subscribers(cwd, ['remove', 'dee@example.org', '--local']);
    expect(removed.stdout).toBe('Removed dee@example.org from the local store at out/subscribers.json.\n');
  });

  it('adds to the bucket given with --bucket, or named by BUCKET_NAME, and says which object changed', async () => {
    const cwd = scratch();
    const added = await subscribers(cwd, ['add', 'eve@example.org', '--bucket', aws.bucket]);
    expect(added).toMatchObject({ code: 0 });
    expect(added.stdout).toBe(`Added eve@example.org to s3://${aws.bucket}/subscribers/list.json.\n`);
    expect(await aws.getText('subscribers/list.json')).toContain('eve@example.org');

    const fromEnv = await subscribers(cwd, ['add', 'fay@example.org'], aws.bucket);
    expect(fromEnv.stdout).toBe(`Added fay@example.org to s3://${aws.bucket}/subscribers/list.json.\n`);
    expect((await subscribers(cwd, ['list'], aws.bucket)).stdout.split('\n').filter(Boolean).sort()).toEqual([
      'eve@example.org',
      'fay@example.org',
    ]);
    expect(readdirSync(cwd)).toEqual([]); // nothing local was written
  });

  it('refuses an address the briefing could not be sent to, suggesting the ASCII form of its domain', async () => {
    const cwd = scratch();
    const before = await aws.getText('subscribers/list.json');
    const run = await subscribers(cwd, ['add', 'ann@bücher.de', '--bucket', aws.bucket]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Did you mean ann@xn--bcher-kva.de?');
    expect(run.stderr).not.toContain('    at '); // a message, not a stack trace
    expect(await aws.getText('subscribers/list.json')).toBe(before);
    expect(existsSync(join(cwd, 'out'))).toBe(false);
  });
});
