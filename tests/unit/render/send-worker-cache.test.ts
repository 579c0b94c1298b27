/**
 * The send-worker renders a digest once per container, not once per SQS invocation: a day's fan-out
 * delivers many batches to the same warm container, and each MJML render costs far more than
 * personalising. Same pattern as personalise.test.ts: count the MJML compilations.
 */

import { beforeEach, describe, expect, it, vi } from 'vitest';
import { mjmlRenderer } from '../../../functions/adapters/mjml-renderer.ts';
import { MemorySubscriberStore } from '../../support/memory-subscribers.ts';

const compilations = vi.hoisted(() => ({ count: 0, failNext: false }));
vi.mock('mjml', async (importOriginal) => {
  const original = (await importOriginal()) as { default: (...args: unknown[]) => Promise<unknown> };
  return {
    default: async (...args: unknown[]) => {
      compilations.count += 1;
      if (compilations.failNext) {
        compilations.failNext = false;
        throw new Error('mjml failed (test)');
      }
      return original.default(...args);
    },
  };
});

const { RENDER_CACHE_ENTRIES } = await import('../../../functions/app/send-batch.ts');
const { createSendWorkerHandler } = await import('../../../functions/handlers/send-worker.ts');
const { CONFIG, repoTemplates } = await import('./fixtures.ts');
type SendDependencies = import('../../../functions/app/send-briefing.ts').SendDependencies;
type Digest = import('../../../functions/core/types.ts').Digest;
type OutgoingMail = import('../../../functions/ports.ts').OutgoingMail;

function digestFor(day: string, headline = 'Russia and Ukraine start ceasefire talks'): Digest {
  return {
    schemaVersion: 1,
    date: day,
    stories: [
      {
        id: `s-${day}`,
        headline,
        summary: [{ text: 'Talks between Russian and Ukrainian officials began.', articleId: 'a1' }],
        articles: [
          {
            id: 'a1',
            source: '000.txt',
            title: null,
            outlet: 'Reuters',
            url: null,
            publishedAt: day,
            dateSource: 'text',
          },
        ],
        duplicates: [],
      },
    ],
  };
}

async function worker(digests: Map<string, Digest>) {
  const sent: OutgoingMail[] = [];
  const claimed = new Set<string>();
  const deps: SendDependencies = {
    store: {
      getDigest: async (day: string) => digests.get(day) ?? null,
      listDigestDays: async () => [...digests.keys()],
    } as SendDependencies['store'],
    // Every address the batches below name is on the list: the worker re-checks each against it.
    subscribers: new MemorySubscriberStore(
      Array.from({ length: 1_000 }, (_, i) => ({ email: `reader${i}@example.org`, subscribedAt: 'x' })),
    ),
    ledger: {
      claim: async (day, email) => !claimed.has(`${day}/${email}`) && Boolean(claimed.add(`${day}/${email}`)),
      markSent: async () => {},
      markRejected: async () => {},
      markExpired: async () => {},
      release: async (day, email) => void claimed.delete(`${day}/${email}`),
    },
    mailer: {
      send: async (mail) => {
        sent.push(mail);
        return { messageId: String(sent.length) };
      },
    },
    config: CONFIG,
    render: mjmlRenderer(await repoTemplates()),
    unsubscribeSecret: 'worker-cache-test',
    sleep: async () => {},
  };
  const handler = createSendWorkerHandler(deps);
  let message = 0;
  const invoke = (day: string, emails: string[]) =>
    handler({
      Records: [{ messageId: `m${++message}`, body: JSON.stringify({ day, emails }) }],
    } as never);
  return { invoke, sent };
}

const batch = (from: number, size: number) =>
  Array.from({ length: size }, (_, i) => `reader${from + i}@example.org`);

describe('send-worker render cache', () => {
  beforeEach(() => {
    compilations.count = 0;
    compilations.failNext = false;
  });

  it('compiles MJML once for two invocations carrying batches of the same digest', async () => {
    const { invoke, sent } = await worker(new Map([['2022-02-28', digestFor('2022-02-28')]]));
    expect(await invoke('2022-02-28', batch(0, 25))).toEqual({ batchItemFailures: [] });
    expect(compilations.count).toBe(1);
    expect(await invoke('2022-02-28', batch(25, 25))).toEqual({ batchItemFailures: [] });
    expect(compilations.count).toBe(1);
    expect(new Set(sent.map((m) => m.to)).size).toBe(50);
  });

  it('renders again when the day’s digest has changed', async () => {
    const digests = new Map([['2022-02-28', digestFor('2022-02-28')]]);
    const { invoke, sent } = await worker(digests);
    await invoke('2022-02-28', batch(0, 2));
    digests.set('2022-02-28', digestFor('2022-02-28', 'Ceasefire talks begin on the border'));
    await invoke('2022-02-28', batch(2, 2));
    expect(compilations.count).toBe(2);
    const raw = Buffer.from(sent.at(-1)?.raw ?? new Uint8Array()).toString('utf8');
    expect(raw).toMatch(/^Subject: News Digest: Ceasefire talks begin on the border/m);
  });

  it(`keeps at most ${RENDER_CACHE_ENTRIES} briefings, dropping the least recently used`, async () => {
    const days = Array.from({ length: RENDER_CACHE_ENTRIES + 1 }, (_, i) => `2022-03-0${i + 1}`);
    const { invoke } = await worker(new Map(days.map((d) => [d, digestFor(d)])));
    for (const day of days) await invoke(day, batch(0, 1));
    expect(compilations.count).toBe(days.length);
    // The newest ones are still cached; the first was dropped to make room.
    await invoke(days.at(-1)!, batch(1, 1));
    expect(compilations.count).toBe(days.length);
    await invoke(days[0]!, batch(1, 1));
    expect(compilations.count).toBe(days.length + 1);
  });

  it('does not keep a failed render: the next invocation renders again', async () => {
    const { invoke, sent } = await worker(new Map([['2022-02-28', digestFor('2022-02-28')]]));
    compilations.failNext = true;
    expect(await invoke('2022-02-28', batch(0, 2))).toEqual({
      batchItemFailures: [{ itemIdentifier: 'm1' }],
    });
    expect(sent).toHaveLength(0);
    expect(await invoke('2022-02-28', batch(0, 2))).toEqual({ batchItemFailures: [] });
    expect(compilations.count).toBe(2);
    expect(sent).toHaveLength(2);
  });
});
