/**
 * `npx tsx functions/cli.ts send` on a local store: at --now it sends each active reader whose local
 * hour has come their edition (daily or weekly), nothing to a suppressed or pending reader, nothing twice,
 * and nothing at all while sending is paused.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const out = mkdtempSync(join(tmpdir(), 'send-cli-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function send(args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [
        '--import',
        join(ROOT, 'node_modules/tsx/dist/loader.mjs'),
        join(ROOT, 'functions/cli.ts'),
        'send',
        '--out',
        out,
        ...args,
      ],
      (error, stdout) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout }),
    );
  });
}

const outbox = () =>
  readdirSync(join(out, 'outbox'))
    .map((name) => name.split('-')[0])
    .sort();

describe('cli.ts send', () => {
  it('honours cadence, hour, suppression and the pause', async () => {
    mkdirSync(join(out, 'digests'), { recursive: true });
    cpSync(join(ROOT, 'tests/fixtures/digests/2022-02-28.json'), join(out, 'digests/2022-02-28.json'));
    const at = '2022-01-01T00:00:00Z';
    writeFileSync(
      join(out, 'subscribers.json'),
      JSON.stringify({
        subscribers: [
          { email: 'london@example.org', subscribedAt: at },
          { email: 'tokyo@example.org', subscribedAt: at, timeZone: 'Asia/Tokyo', hour: 7 },
          { email: 'weekly@example.org', subscribedAt: at, cadence: 'weekly', hour: 7 },
          { email: 'pending@example.org', subscribedAt: at, status: 'pending' },
          {
            email: 'bounced@example.org',
            subscribedAt: at,
            status: 'suppressed',
            suppression: { reason: 'bounce', at },
          },
        ],
      }),
    );
    // Tuesday 1 March 2022, 07:10 in London (16:10 in Tokyo: past that reader's window).
    const first = await send(['--now', '2022-03-01T07:10:00Z']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Briefing 2022-02-28: sent 1, already sent 0, suppressed 1, failed 0.');
    expect(outbox()).toEqual(['london@example.org']);
    expect((await send(['--now', '2022-03-01T08:10:00Z'])).stdout).toContain('sent 0, already sent 1');

    // Monday 7 March, 07:10 London: the weekly reader's edition (the week of 28 February).
    mkdirSync(join(out, 'control'), { recursive: true });
    writeFileSync(
      join(out, 'control/sending-paused.json'),
      JSON.stringify({ reason: 'BounceRate fired', at }),
    );
    const paused = await send(['--now', '2022-03-07T07:10:00Z']);
    expect(paused.stdout).toContain('Sending is paused: BounceRate fired');
    expect(outbox()).toEqual(['london@example.org']);
    rmSync(join(out, 'control/sending-paused.json'));
    const monday = await send(['--now', '2022-03-07T07:10:00Z']);
    expect(monday.stdout).toContain('Briefing 2022-03-07-weekly: sent 1');
    expect(outbox()).toEqual(['london@example.org', 'weekly@example.org']);
  });
});
