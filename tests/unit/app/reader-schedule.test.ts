/**
 * The hourly send and each reader's own hour: a reader in America/New_York at 07:00 gets each day's
 * briefing exactly once, at 07:00 local, across both daylight-saving changes of 2026 (8 March and
 * 1 November); a reader whose hour does not exist that day (02:00 on 8 March) or happens twice (01:00
 * on 1 November) still gets it exactly once; a weekly reader gets one briefing, on Monday.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FsSendLedger } from '../../../functions/adapters/fs-store.ts';
import { mjmlRenderer } from '../../../functions/adapters/mjml-renderer.ts';
import { type SendDependencies, sendDueBriefings } from '../../../functions/app/send-briefing.ts';
import { localClock } from '../../../functions/core/reader-schedule.ts';
import type { Subscriber } from '../../../functions/core/subscriber.ts';
import type { Day, Digest } from '../../../functions/core/types.ts';
import type { OutgoingMail } from '../../../functions/ports.ts';
import { MemorySubscriberStore } from '../../support/memory-subscribers.ts';
import { oneStoryDigest } from '../../support/one-story-digest.ts';
import { CONFIG, repoTemplates } from '../render/fixtures.ts';

const ZONE = 'America/New_York';
const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function daysBetween(from: Day, to: Day): Day[] {
  const days: Day[] = [];
  for (
    let d = new Date(`${from}T00:00:00Z`);
    d.toISOString().slice(0, 10) <= to;
    d.setUTCDate(d.getUTCDate() + 1)
  ) {
    days.push(d.toISOString().slice(0, 10));
  }
  return days;
}

/** Runs the hourly schedule (a few seconds past each UTC hour) from `start` for `hours`, and returns what was sent when. */
async function runHourly(start: string, hours: number, readers: Subscriber[], digestDays: Day[]) {
  const digests = new Map<Day, Digest>(digestDays.map((day) => [day, oneStoryDigest(day)]));
  const sent: { at: Date; mail: OutgoingMail }[] = [];
  let now = new Date(start);
  const folder = mkdtempSync(join(tmpdir(), 'reader-schedule-'));
  folders.push(folder);
  const deps: SendDependencies & { readerDefaults: { timeZone: string; hour: number } } = {
    store: {
      getDigest: async (day: Day) => digests.get(day) ?? null,
      listDigestDays: async () => [...digests.keys()],
    } as SendDependencies['store'],
    subscribers: new MemorySubscriberStore(readers),
    ledger: new FsSendLedger(folder),
    mailer: {
      send: async (mail) => {
        sent.push({ at: now, mail });
        return { messageId: String(sent.length) };
      },
    },
    config: CONFIG,
    render: mjmlRenderer(await repoTemplates()),
    unsubscribeSecret: 'test',
    readerDefaults: { timeZone: 'Europe/London', hour: 7 },
  };
  for (let i = 0; i < hours; i++) {
    now = new Date(new Date(start).getTime() + i * 3_600_000 + 20_000);
    await sendDueBriefings(now, deps);
  }
  return sent.map(({ at, mail }) => {
    const text = new TextDecoder().decode(mail.raw);
    return {
      to: mail.to,
      local: localClock(at, ZONE),
      subject: /^Subject: (.*)$/m.exec(text)?.[1] ?? '',
      feedbackId: /^Feedback-ID: (.*)$/m.exec(text)?.[1] ?? '',
    };
  });
}

const reader = (email: string, extra: Partial<Subscriber> = {}): Subscriber => ({
  email,
  subscribedAt: '2026-01-01T00:00:00Z',
  timeZone: ZONE,
  hour: 7,
  ...extra,
});

describe('hourly send across daylight saving in America/New_York', () => {
  it.each([
    ['spring forward', '2026-03-04T17:00:00Z', '2026-03-05', '2026-03-12'],
    ['fall back', '2026-10-28T16:00:00Z', '2026-10-29', '2026-11-05'],
  ])(
    '%s: each local day exactly once, at 07:00 local, with the previous day',
    async (_, start, first, last) => {
      const days = daysBetween('2026-02-20', '2026-11-10');
      const sent = await runHourly(start, 8 * 24, [reader('ny@example.org')], days);
      const mine = sent.filter((s) => s.to === 'ny@example.org');
      const localDays = mine.map((s) => s.local.day);
      expect(localDays).toEqual(daysBetween(first, last));
      expect(new Set(mine.map((s) => s.local.hour))).toEqual(new Set([7]));
      // Each day's edition is the day before: the digest day of the Feedback-ID.
      expect(mine.map((s) => s.feedbackId.split(':')[0])).toEqual(
        daysBetween(first, last).map((d) => daysBetween('2026-01-01', d).at(-2)),
      );
    },
  );

  it('sends once to a reader whose hour is skipped (02:00 on 8 March) or repeated (01:00 on 1 November)', async () => {
    const days = daysBetween('2026-02-20', '2026-11-10');
    const spring = await runHourly(
      '2026-03-07T12:00:00Z',
      48,
      [reader('two@example.org', { hour: 2 })],
      days,
    );
    expect(spring.map((s) => `${s.local.day} ${s.local.hour}`)).toEqual(['2026-03-08 3', '2026-03-09 2']);
    const fall = await runHourly('2026-10-31T12:00:00Z', 48, [reader('one@example.org', { hour: 1 })], days);
    expect(fall.map((s) => `${s.local.day} ${s.local.hour}`)).toEqual(['2026-11-01 1', '2026-11-02 1']);
  });

  it('sends a weekly reader one briefing, on Monday, of the week before', async () => {
    const days = daysBetween('2026-02-20', '2026-11-10');
    const sent = await runHourly(
      '2026-03-04T12:00:00Z',
      14 * 24,
      [reader('weekly@example.org', { cadence: 'weekly' })],
      days,
    );
    expect(sent.map((s) => `${s.local.day} ${s.local.hour}`)).toEqual(['2026-03-09 7', '2026-03-16 7']);
    expect(sent[0]?.feedbackId).toBe('2026-03-09:weekly:briefing:example.com');
    expect(sent[0]?.subject).toMatch(/weekly/);
  });
});
