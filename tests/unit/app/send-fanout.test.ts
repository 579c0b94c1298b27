/**
 * Sending at scale: past FANOUT_THRESHOLD subscribers the send Lambda enqueues batches for the
 * send-worker instead of sending itself; each address is in exactly one batch, and a worker that
 * receives the same batch twice sends nobody twice.
 */

import { describe, expect, it } from 'vitest';
import { mjmlRenderer } from '../../../functions/adapters/mjml-renderer.ts';
import { loadTemplates } from '../../../functions/adapters/templates.ts';
import type { SendDependencies } from '../../../functions/app/send-briefing.ts';
import { FANOUT_BATCH_SIZE, FANOUT_THRESHOLD } from '../../../functions/app/send-or-fan-out.ts';
import { DEFAULT_BRIEFING_CONFIG } from '../../../functions/core/render/config.ts';
import { chunk } from '../../../functions/core/s3-event.ts';
import { createSendHandler } from '../../../functions/handlers/send.ts';
import { createSendWorkerHandler } from '../../../functions/handlers/send-worker.ts';
import type { OutgoingMail, SendLedger, Subscriber } from '../../../functions/ports.ts';
import { fixedSubscribers, oneDigestStore, oneStoryDigest } from '../../support/one-story-digest.ts';

const DAY = '2022-02-28';
const DIGEST = oneStoryDigest(DAY);

class MemoryLedger implements SendLedger {
  readonly entries = new Map<string, string>();
  async claim(day: string, email: string) {
    const key = `${day}/${email}`;
    if (this.entries.has(key)) return false;
    this.entries.set(key, 'claimed');
    return true;
  }
  async markSent(day: string, email: string) {
    this.entries.set(`${day}/${email}`, 'sent');
  }
  async markRejected(day: string, email: string) {
    this.entries.set(`${day}/${email}`, 'rejected');
  }
  async markExpired(day: string, email: string) {
    this.entries.set(`${day}/${email}`, 'expired');
  }
  async release(day: string, email: string) {
    this.entries.delete(`${day}/${email}`);
  }
}

async function dependencies(subscriberCount: number) {
  const subscribers: Subscriber[] = Array.from({ length: subscriberCount }, (_, i) => ({
    email: `reader${i}@example.org`,
    subscribedAt: '2022-01-01T00:00:00Z',
  }));
  const sent: OutgoingMail[] = [];
  const ledger = new MemoryLedger();
  const deps: SendDependencies = {
    store: oneDigestStore(DIGEST),
    subscribers: fixedSubscribers(subscribers),
    ledger,
    mailer: {
      send: async (mail) => {
        sent.push(mail);
        return { messageId: String(sent.length) };
      },
    },
    config: DEFAULT_BRIEFING_CONFIG,
    render: mjmlRenderer(await loadTemplates()),
    unsubscribeSecret: 'fan-out-test',
    timeZone: 'Europe/London',
    sleep: async () => {},
  };
  return { deps, sent, ledger, subscribers };
}

describe('send fan-out', () => {
  it('chunks a list into batches of at most the given size, keeping every item once', () => {
    const items = Array.from({ length: 1001 }, (_, i) => i);
    const batches = chunk(items, 200);
    expect(batches.map((b) => b.length)).toEqual([200, 200, 200, 200, 200, 1]);
    expect(batches.flat()).toEqual(items);
    expect(() => chunk(items, 0)).toThrow(RangeError);
  });

  it('sends directly while the list is at or below the threshold', async () => {
    const { deps, sent } = await dependencies(3);
    const enqueued: string[][] = [];
    const send = createSendHandler({
      ...deps,
      fanOut: { enqueue: async (_day, b) => void enqueued.push(...b.map((x) => [...x])) },
    });
    const report = await send({ day: DAY });
    expect(report.sent).toBe(3);
    expect(sent).toHaveLength(3);
    expect(enqueued).toEqual([]);
  });

  it('enqueues every subscriber exactly once, in batches, above the threshold', async () => {
    const count = FANOUT_THRESHOLD * 2 + 7;
    const { deps, sent, subscribers } = await dependencies(count);
    const batches: string[][] = [];
    const send = createSendHandler({
      ...deps,
      fanOut: {
        enqueue: async (day, b) => {
          expect(day).toBe(DAY);
          batches.push(...b.map((x) => [...x]));
        },
      },
    });
    const report = await send({ day: DAY });
    expect(sent).toHaveLength(0);
    expect(report).toMatchObject({ day: DAY, sent: 0, batches: Math.ceil(count / FANOUT_BATCH_SIZE) });
    expect(batches.every((b) => b.length <= FANOUT_BATCH_SIZE)).toBe(true);
    expect(batches.flat().sort()).toEqual(subscribers.map((s) => s.email).sort());
  });

  it('lets a worker redelivered the same batch send nobody twice', async () => {
    const { deps, sent, ledger } = await dependencies(3);
    const worker = createSendWorkerHandler(deps);
    const emails = ['reader0@example.org', 'reader1@example.org', 'reader2@example.org'];
    const record = { messageId: 'm1', body: JSON.stringify({ day: DAY, emails }) };
    expect(await worker({ Records: [record] } as never)).toEqual({ batchItemFailures: [] });
    expect(await worker({ Records: [record] } as never)).toEqual({ batchItemFailures: [] });
    expect(sent.map((m) => m.to).sort()).toEqual(emails);
    expect([...ledger.entries.values()]).toEqual(['sent', 'sent', 'sent']);
  });
});

describe('a day from outside', () => {
  it('is refused by the send function unless it is YYYY-MM-DD, and nothing is sent or enqueued', async () => {
    const { deps, sent } = await dependencies(FANOUT_THRESHOLD + 1);
    const enqueued: string[][] = [];
    const send = createSendHandler({
      ...deps,
      fanOut: { enqueue: async (_day, b) => void enqueued.push(...b.map((x) => [...x])) },
    });
    await expect(send({ day: '../../subscribers/list' })).rejects.toThrow(
      /\(event\.day\) must be a day written YYYY-MM-DD/,
    );
    await expect(createSendHandler(deps)({ day: '2022-02-28/../x' })).rejects.toThrow(/YYYY-MM-DD/);
    expect(enqueued).toEqual([]);
    expect(sent).toEqual([]);
  });

  it('in a fan-out message fails that message alone', async () => {
    const { deps, sent } = await dependencies(2);
    const worker = createSendWorkerHandler(deps);
    const body = (day: string) => JSON.stringify({ day, emails: ['reader0@example.org'] });
    const result = await worker({
      Records: [
        { messageId: 'bad', body: body('../2022-02-28') },
        { messageId: 'good', body: body(DAY) },
      ],
    } as never);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'bad' }]);
    expect(sent).toHaveLength(1);
  });
});

describe('a queued batch when its turn comes', () => {
  it('is not sent to a reader who left the list since it was queued', async () => {
    const { deps, sent } = await dependencies(3);
    await deps.subscribers.remove('reader1@example.org');
    const worker = createSendWorkerHandler(deps);
    const emails = ['reader0@example.org', 'reader1@example.org', 'reader2@example.org'];
    const createdAt = new Date().toISOString();
    const record = { messageId: 'm1', body: JSON.stringify({ day: DAY, emails, createdAt }) };
    expect(await worker({ Records: [record] } as never)).toEqual({ batchItemFailures: [] });
    expect(sent.map((m) => m.to).sort()).toEqual(['reader0@example.org', 'reader2@example.org']);
  });

  it('is refused when older than the configured age, each reader recorded expired, nobody sent', async () => {
    const { deps, sent, ledger } = await dependencies(2);
    const now = new Date('2022-03-05T08:00:00Z');
    const worker = createSendWorkerHandler({ ...deps, now: () => now });
    const emails = ['reader0@example.org', 'reader1@example.org'];
    const body = (hoursAgo: number) =>
      JSON.stringify({
        day: DAY,
        emails,
        createdAt: new Date(now.getTime() - hoursAgo * 3_600_000).toISOString(),
      });
    // A DLQ redrive days later: the default limit is one day.
    expect(await worker({ Records: [{ messageId: 'old', body: body(25) }] } as never)).toEqual({
      batchItemFailures: [],
    });
    expect(sent).toEqual([]);
    expect(Object.fromEntries(ledger.entries)).toEqual({
      [`${DAY}/reader0@example.org`]: 'expired',
      [`${DAY}/reader1@example.org`]: 'expired',
    });
    // Expired is final: the same batch within a shorter age limit still sends nobody.
    const lenient = createSendWorkerHandler({ ...deps, now: () => now, maxBriefingAgeMs: 48 * 3_600_000 });
    await lenient({ Records: [{ messageId: 'old', body: body(25) }] } as never);
    expect(sent).toEqual([]);
  });

  it('is sent when younger than the configured age', async () => {
    const { deps, sent } = await dependencies(1);
    const now = new Date('2022-03-05T08:00:00Z');
    const worker = createSendWorkerHandler({ ...deps, now: () => now, maxBriefingAgeMs: 2 * 3_600_000 });
    const createdAt = new Date(now.getTime() - 3_600_000).toISOString();
    const body = JSON.stringify({ day: DAY, emails: ['reader0@example.org'], createdAt });
    await worker({ Records: [{ messageId: 'fresh', body }] } as never);
    expect(sent.map((m) => m.to)).toEqual(['reader0@example.org']);
  });

  it('carries the time it was queued, from the send run', async () => {
    const { deps } = await dependencies(FANOUT_THRESHOLD + 1);
    const stamps: (Date | undefined)[] = [];
    const send = createSendHandler({
      ...deps,
      fanOut: { enqueue: async (_day, _batches, _cadence, createdAt) => void stamps.push(createdAt) },
    });
    await send({ day: DAY });
    expect(stamps).toHaveLength(1);
    expect(stamps[0]).toBeInstanceOf(Date);
  });
});
