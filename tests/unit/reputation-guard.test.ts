/**
 * The reputation guard: an alarm entering ALARM pauses sending (the switch the send functions read, with
 * the alarm's name and reason); any other state leaves it alone; only an operator resumes. A paused
 * hourly send sends nothing and says why.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FsSendLedger } from '../../functions/adapters/fs-store.ts';
import { FsSendingPause } from '../../functions/adapters/sending-pause.ts';
import { sendDueBriefings } from '../../functions/app/send-briefing.ts';
import { createReputationGuardHandler } from '../../functions/handlers/reputation-guard.ts';
import type { Mailer } from '../../functions/ports.ts';
import { MemorySubscriberStore } from '../support/memory-subscribers.ts';
import { oneDigestStore, oneStoryDigest } from '../support/one-story-digest.ts';
import { CONFIG } from './render/fixtures.ts';

const folder = mkdtempSync(join(tmpdir(), 'guard-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('reputation guard', () => {
  it('pauses on ALARM, ignores OK, and a paused send sends nothing until resumed', async () => {
    const pause = new FsSendingPause(folder);
    const guard = createReputationGuardHandler({ pause, now: () => new Date('2026-03-02T10:00:00Z') });
    expect(await guard({ alarmData: { alarmName: 'BounceRate', state: { value: 'OK' } } })).toEqual({
      paused: false,
    });
    expect(await pause.pausedBecause()).toBeNull();
    await guard({
      alarmData: {
        alarmName: 'NewsDigest-BounceRate',
        state: { value: 'ALARM', reason: 'Threshold Crossed: 0.05 >= 0.04' },
      },
    });
    expect(await pause.pausedBecause()).toBe(
      'NewsDigest-BounceRate fired: Threshold Crossed: 0.05 >= 0.04 (since 2026-03-02T10:00:00.000Z)',
    );
    // Back to OK does not resume: an operator does, after looking.
    await guard({ alarmData: { alarmName: 'NewsDigest-BounceRate', state: { value: 'OK' } } });
    expect(await pause.pausedBecause()).not.toBeNull();

    const sent: string[] = [];
    const mailer: Mailer = {
      send: async (mail) => {
        sent.push(mail.to);
        return { messageId: 'x' };
      },
    };
    const deps = {
      store: oneDigestStore(oneStoryDigest('2026-03-01')),
      subscribers: new MemorySubscriberStore([{ email: 'ann@example.org', subscribedAt: 'x' }]),
      ledger: new FsSendLedger(join(folder, 'ledger')),
      mailer,
      config: CONFIG,
      render: async () => ({ subject: 's', html: '<p>h</p>', text: 't' }) as never,
      unsubscribeSecret: 'x',
      pause,
      readerDefaults: { timeZone: 'Europe/London', hour: 7 },
    };
    const now = new Date('2026-03-02T07:30:00Z');
    expect((await sendDueBriefings(now, deps)).paused).toMatch(/NewsDigest-BounceRate fired/);
    expect(sent).toEqual([]);
    expect(await pause.resume()).toBe(true);
    expect((await sendDueBriefings(now, deps)).paused).toBeUndefined();
    expect(sent).toEqual(['ann@example.org']);
  });
});
