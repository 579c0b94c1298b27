/**
 * `npm run subscribers` as an operator runs it, against the local store and against S3 (s3rver): the
 * command changes only the list it was told to change, says which one it changed, and refuses to
 * guess (no target, or both targets) or to add an address the briefing could never be sent to.
 */
import { execFile } from 'node:child_process';
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

    expect((await subscribers(cwd, ['list', '--local'])).stdout).toBe(
      "dee@example.org\tactive\tdaily\toperator's time\n",
    );
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
    const listed = (await subscribers(cwd, ['list'], aws.bucket)).stdout.split('\n').filter(Boolean);
    expect(listed.map((line) => line.split('\t')[0]).sort()).toEqual(['eve@example.org', 'fay@example.org']);
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

  it('sets a reader cadence, time zone and hour, and refuses a bad value naming the key and an example', async () => {
    const cwd = scratch();
    await subscribers(cwd, ['add', 'gil@example.org', '--local']);
    const set = await subscribers(cwd, [
      'set',
      'gil@example.org',
      '--cadence',
      'weekly',
      '--time-zone',
      'Asia/Tokyo',
      '--hour',
      '7',
      '--local',
    ]);
    expect(set).toMatchObject({ code: 0 });
    expect(set.stdout).toContain('weekly, 07:00 Asia/Tokyo');
    const before = readFileSync(join(cwd, 'out/subscribers.json'), 'utf8');
    expect(JSON.parse(before).subscribers[0]).toMatchObject({
      cadence: 'weekly',
      timeZone: 'Asia/Tokyo',
      hour: 7,
    });

    const refusals: [string[], RegExp][] = [
      [
        ['--time-zone', 'Mars/Olympus'],
        /time-zone must be an IANA time zone name, such as Asia\/Tokyo; got "Mars\/Olympus"/,
      ],
      [['--hour', '24'], /hour must be a whole hour from 0 to 23, such as 7; got "24"/],
      [['--hour', '7.5'], /hour must be a whole hour from 0 to 23/],
      [['--cadence', 'monthly'], /cadence must be daily or weekly, such as weekly; got "monthly"/],
      [[], /set needs at least one of --cadence/],
    ];
    for (const [args, message] of refusals) {
      const run = await subscribers(cwd, ['set', 'gil@example.org', ...args, '--local']);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
    }
    expect(readFileSync(join(cwd, 'out/subscribers.json'), 'utf8')).toBe(before);
    const unknown = await subscribers(cwd, ['set', 'nobody@example.org', '--hour', '6', '--local']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('nobody@example.org is not on');
  });

  it('lists statuses and counts, and re-adds a complaint-suppressed address only with --override, logged', async () => {
    const cwd = scratch();
    const records = [
      { email: 'act@example.org', subscribedAt: '2026-01-01T00:00:00.000Z' },
      { email: 'pen@example.org', subscribedAt: '2026-01-01T00:00:00.000Z', status: 'pending' },
      {
        email: 'bou@example.org',
        subscribedAt: '2026-01-01T00:00:00.000Z',
        status: 'suppressed',
        suppression: { reason: 'bounce', at: '2026-02-01T00:00:00.000Z' },
      },
      {
        email: 'com@example.org',
        subscribedAt: '2026-01-01T00:00:00.000Z',
        status: 'suppressed',
        suppression: { reason: 'complaint', at: '2026-02-02T00:00:00.000Z' },
      },
    ];
    mkdirSync(join(cwd, 'out'));
    writeFileSync(join(cwd, 'out/subscribers.json'), JSON.stringify({ subscribers: records }));
    const list = await subscribers(cwd, ['list', '--local']);
    expect(
      list.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split('\t').slice(0, 2)),
    ).toEqual([
      ['act@example.org', 'active'],
      ['pen@example.org', 'pending'],
      ['bou@example.org', 'suppressed: bounce'],
      ['com@example.org', 'suppressed: complaint'],
    ]);
    expect(list.stderr).toContain(
      '4 address(es): active 1, pending 1, suppressed: bounce 1, suppressed: complaint 1',
    );

    const refused = await subscribers(cwd, ['add', 'com@example.org', '--local']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('reported the briefing as spam on 2026-02-02');
    expect(refused.stderr).toContain('--override');
    // remove keeps the complaint: it is what refuses the next add.
    await subscribers(cwd, ['remove', 'com@example.org', '--local']);
    expect((await subscribers(cwd, ['add', 'com@example.org', '--local'])).code).toBe(2);

    const overridden = await subscribers(cwd, ['add', 'com@example.org', '--override', '--local']);
    expect(overridden).toMatchObject({ code: 0 });
    expect(overridden.stderr).toMatch(
      /override: re-added com@example\.org, suppressed for a complaint on 2026-02-02/,
    );
    const stored = JSON.parse(readFileSync(join(cwd, 'out/subscribers.json'), 'utf8')).subscribers;
    expect(stored.find((s: { email: string }) => s.email === 'com@example.org')).toMatchObject({
      status: 'active',
    });
    // An operator add lifts a bounce suppression without ceremony.
    expect((await subscribers(cwd, ['add', 'bou@example.org', '--local'])).code).toBe(0);
  });
});
