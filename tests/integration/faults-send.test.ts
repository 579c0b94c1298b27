/**
 * Send faults against the real emulators (aws-ses-v2-local for SES, s3rver for digests, subscribers and
 * the send ledger), with faults injected into the SDK clients for chosen addresses only.
 *
 * What "exactly once" can mean here. Sending (SES) and remembering (the S3 ledger) are two systems with
 * no shared transaction, so no design can make every crash end in exactly one email: a crash after SES
 * accepted a message but before the ledger says "sent" leaves a state from which the retry cannot know
 * whether the mail went out. The service therefore promises AT MOST ONCE per (day, subscriber): the
 * claim is written (If-None-Match: *) before the send and never given back once SES has accepted the
 * message. A transient failure BEFORE acceptance releases the claim so a later run retries it (nobody
 * silently misses the day because SES throttled); a permanent refusal is recorded as `rejected`.
 * A crash between acceptance and the "sent" mark leaves the entry `claimed`: nobody is emailed twice,
 * and the operator can see the (rare) unconfirmed delivery in the ledger.
 *
 * The properties asserted: no address ever receives a day's briefing twice, whatever fails; every
 * address whose sends were not refused receives it once the faults clear; and the ledger tells the
 * truth (sent / rejected / released / claimed) about each address.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mjmlRenderer } from '../../functions/adapters/mjml-renderer.ts';
import { S3ArticleSource } from '../../functions/adapters/s3-article-source.ts';
import { S3DigestStore } from '../../functions/adapters/s3-digest-store.ts';
import { S3SendLedger } from '../../functions/adapters/s3-send-ledger.ts';
import { S3SubscriberStore } from '../../functions/adapters/s3-subscriber-store.ts';
import { SesMailer } from '../../functions/adapters/ses-mailer.ts';
import { loadTemplates } from '../../functions/adapters/templates.ts';
import { ingestBatch } from '../../functions/app/ingest-batch.ts';
import { type SendDependencies, sendBriefing } from '../../functions/app/send-briefing.ts';
import { addressKey } from '../../functions/core/address-key.ts';
import { DEFAULT_BRIEFING_CONFIG } from '../../functions/core/render/config.ts';
import type { Mailer, OutgoingMail, SendLedger } from '../../functions/ports.ts';
import {
  type FaultRule,
  faultyS3,
  faultySes,
  s3ServerError,
  sesError,
  startPrivateSes,
  switchable,
} from '../hostile/fault-injection.ts';
import { type LocalAws, useLocalAws } from './support/aws-env.ts';

const SEEDS = join(import.meta.dirname, '../../seeds');
const DAY = '2022-02-28';

let aws: LocalAws;
let ses: Awaited<ReturnType<typeof startPrivateSes>>;
let baseDeps: Omit<SendDependencies, 'mailer' | 'ledger' | 'subscribers'>;

/** The real SES mailer, counting what SES accepted per recipient (the shared /store is cleared by other files). */
class CountingMailer implements Mailer {
  readonly accepted = new Map<string, number>();
  constructor(private readonly inner: Mailer) {}
  async send(mail: OutgoingMail) {
    const result = await this.inner.send(mail);
    this.accepted.set(mail.to, (this.accepted.get(mail.to) ?? 0) + 1);
    return result;
  }
}

const toAddress = (input: Record<string, unknown>) => (input.Destinations as string[] | undefined)?.[0];

function ledgerKey(day: string, email: string): string {
  return `sent/${day}/${addressKey(email, 'faults-send-secret')}.json`;
}

async function ledgerStatus(day: string, email: string): Promise<string | null> {
  try {
    const response = await aws.s3.send(
      new GetObjectCommand({ Bucket: aws.bucket, Key: ledgerKey(day, email) }),
    );
    return (JSON.parse((await response.Body?.transformToString()) ?? '{}') as { status: string }).status;
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return null;
    throw error;
  }
}

/** Messages per recipient in the private SES emulator's store (what was really delivered). */
async function delivered(domain: string): Promise<Record<string, number>> {
  const response = await fetch(`${ses.endpoint}/store`);
  const { emails } = (await response.json()) as { emails: { destination: { to: string[] } }[] };
  const counts: Record<string, number> = {};
  for (const to of emails.flatMap((e) => e.destination.to)) {
    const address = /<?([^<>\s]+@[^<>\s]+)>?$/.exec(to)?.[1] ?? to;
    if (address.endsWith(`@${domain}`)) counts[address] = (counts[address] ?? 0) + 1;
  }
  return counts;
}

async function subscribersFor(domain: string, names: string[]) {
  const store = new S3SubscriberStore(aws.bucket);
  for (const name of names) await store.add(`${name}@${domain}`);
  return {
    list: async () => (await store.list()).filter((s) => s.email.endsWith(`@${domain}`)),
    get: (email: string) => store.get(email),
    add: (email: string) => store.add(email),
    remove: (email: string) => store.remove(email),
    update: store.update.bind(store),
  };
}

afterAll(() => ses?.stop());

beforeAll(async () => {
  aws = await useLocalAws();
  ses = await startPrivateSes();
  const names = readdirSync(SEEDS).sort();
  for (const name of names) await aws.put(`incoming/${name}`, readFileSync(join(SEEDS, name)));
  await ingestBatch(
    names.map((key) => ({ key, arrivedAt: new Date('2026-11-22T08:00:00Z') })),
    { source: new S3ArticleSource(aws.bucket), store: new S3DigestStore(aws.bucket) },
  );
  baseDeps = {
    store: new S3DigestStore(aws.bucket),
    config: DEFAULT_BRIEFING_CONFIG,
    render: mjmlRenderer(await loadTemplates()),
    unsubscribeSecret: 'faults-send-secret',
    sleep: async () => {}, // backoff delays are not what is under test
    random: () => 0.5,
  };
});

describe('SES throttling and per-address refusal', () => {
  it('delivers to everyone else, retries the throttled address, records the refused one', async () => {
    const domain = 'throttle.example';
    const subscribers = await subscribersFor(domain, ['ann', 'bob', 'cat', 'dan', 'eve']);
    let bobThrottles = 2; // backs off twice, then gets through
    const rules: FaultRule[] = [
      ({ command, input }) => {
        const to = toAddress(input);
        if (command !== 'SendRawEmailCommand') return null;
        if (to === `bob@${domain}` && bobThrottles-- > 0)
          return sesError('Throttling', 'Maximum sending rate exceeded.');
        if (to === `cat@${domain}`) return sesError('MessageRejected', `Address blacklisted: cat@${domain}`);
        if (to === `dan@${domain}`) return sesError('Throttling', 'Maximum sending rate exceeded.'); // never recovers
        return null;
      },
    ];
    const mailer = new CountingMailer(new SesMailer(faultySes(rules, ses.endpoint)));
    const ledger = new S3SendLedger(aws.bucket, 'faults-send-secret');
    const report = await sendBriefing(
      { day: DAY, now: new Date('2026-11-22T08:00:00Z') },
      { ...baseDeps, subscribers, mailer, ledger },
    );

    expect(report).toMatchObject({ day: DAY, sent: 3, skipped: 0, failed: 2 });
    expect(Object.fromEntries(mailer.accepted)).toEqual({
      [`ann@${domain}`]: 1,
      [`bob@${domain}`]: 1,
      [`eve@${domain}`]: 1,
    });
    expect(report.failures.map((f) => ({ index: f.subscriberIndex, permanent: f.permanent }))).toEqual([
      { index: 2, permanent: true },
      { index: 3, permanent: false },
    ]);
    expect(await ledgerStatus(DAY, `ann@${domain}`)).toBe('sent');
    expect(await ledgerStatus(DAY, `bob@${domain}`)).toBe('sent');
    expect(await ledgerStatus(DAY, `cat@${domain}`)).toBe('rejected');
    expect(await ledgerStatus(DAY, `dan@${domain}`)).toBeNull(); // released: a later run may try again
    expect(await ledgerStatus(DAY, `eve@${domain}`)).toBe('sent');

    // The next run, SES has recovered: only dan is sent; cat's refusal is not retried; nobody twice.
    const retry = await sendBriefing(
      { day: DAY, now: new Date('2026-11-22T09:00:00Z') },
      {
        ...baseDeps,
        subscribers,
        mailer: new CountingMailer(new SesMailer(faultySes([], ses.endpoint))),
        ledger,
      },
    );
    expect(retry).toMatchObject({ sent: 1, skipped: 4, failed: 0 });
    expect(await ledgerStatus(DAY, `dan@${domain}`)).toBe('sent');
    expect(await delivered(domain)).toEqual({
      [`ann@${domain}`]: 1,
      [`bob@${domain}`]: 1,
      [`dan@${domain}`]: 1,
      [`eve@${domain}`]: 1,
    });
  });
});

describe('a failure between the accepted send and the ledger mark', () => {
  it('never sends twice when marking "sent" fails after SES accepted the message', async () => {
    const domain = 'marksent.example';
    const subscribers = await subscribersFor(domain, ['fay', 'gus', 'hal']);
    const gusMark = switchable(({ command, input }) =>
      command === 'PutObjectCommand' &&
      input.Key === ledgerKey(DAY, `gus@${domain}`) &&
      input.IfNoneMatch === undefined // the claim (If-None-Match: *) goes through; the "sent" mark fails
        ? s3ServerError('InternalError', 500)
        : null,
    );
    const ledger = new S3SendLedger(aws.bucket, 'faults-send-secret', faultyS3([gusMark.rule]));
    const mailer = new CountingMailer(new SesMailer(faultySes([], ses.endpoint)));
    await sendBriefing(
      { day: DAY, now: new Date('2026-11-22T08:00:00Z') },
      { ...baseDeps, subscribers, mailer, ledger },
    );
    expect(mailer.accepted.get(`gus@${domain}`)).toBe(1);
    expect(await ledgerStatus(DAY, `gus@${domain}`)).toBe('claimed'); // sent but unconfirmed: kept, not released

    gusMark.off();
    const again = new CountingMailer(new SesMailer(faultySes([], ses.endpoint)));
    const retry = await sendBriefing(
      { day: DAY, now: new Date('2026-11-22T09:00:00Z') },
      { ...baseDeps, subscribers, mailer: again, ledger: new S3SendLedger(aws.bucket, 'faults-send-secret') },
    );
    expect(retry.sent).toBe(0);
    expect(again.accepted.size).toBe(0);
    expect(await delivered(domain)).toEqual({
      [`fay@${domain}`]: 1,
      [`gus@${domain}`]: 1,
      [`hal@${domain}`]: 1,
    });
    expect(Object.fromEntries(mailer.accepted)).toEqual({
      [`fay@${domain}`]: 1,
      [`gus@${domain}`]: 1,
      [`hal@${domain}`]: 1,
    });
  });

  it('never sends twice when the invocation dies after the send, and the retry finishes the list', async () => {
    const domain = 'killed.example';
    const subscribers = await subscribersFor(domain, ['ida', 'jon', 'kim', 'lee']);
    const real = new S3SendLedger(aws.bucket, 'faults-send-secret');
    // The Lambda is killed right after SES accepted jon's message: markSent never completes.
    const dying: SendLedger = {
      claim: (day, email) => real.claim(day, email),
      markSent: (day, email, id) =>
        email === `jon@${domain}` ? new Promise<void>(() => {}) : real.markSent(day, email, id),
      markRejected: (day, email, reason) => real.markRejected(day, email, reason),
      markExpired: (day, email, reason) => real.markExpired(day, email, reason),
      release: (day, email) => real.release(day, email),
    };
    const first = new CountingMailer(new SesMailer(faultySes([], ses.endpoint)));
    const abandoned = sendBriefing(
      { day: DAY, now: new Date('2026-11-22T08:00:00Z') },
      { ...baseDeps, subscribers, mailer: first, ledger: dying },
    );
    void abandoned;
    // Wait until the doomed invocation has reached jon (his mail accepted), then "kill" it.
    for (let i = 0; i < 200 && !first.accepted.has(`jon@${domain}`); i++)
      await new Promise((resolve) => setTimeout(resolve, 25));
    expect(Object.fromEntries(first.accepted)).toEqual({ [`ida@${domain}`]: 1, [`jon@${domain}`]: 1 });

    // The retry (a new invocation with a healthy ledger) sends to the rest and not to jon again.
    const second = new CountingMailer(new SesMailer(faultySes([], ses.endpoint)));
    const retry = await sendBriefing(
      { day: DAY, now: new Date('2026-11-22T08:05:00Z') },
      { ...baseDeps, subscribers, mailer: second, ledger: real },
    );
    expect(retry).toMatchObject({ sent: 2, skipped: 2, failed: 0 });
    expect(Object.fromEntries(second.accepted)).toEqual({ [`kim@${domain}`]: 1, [`lee@${domain}`]: 1 });
    expect(await ledgerStatus(DAY, `jon@${domain}`)).toBe('claimed');
    expect(await delivered(domain)).toEqual({
      [`ida@${domain}`]: 1,
      [`jon@${domain}`]: 1,
      [`kim@${domain}`]: 1,
      [`lee@${domain}`]: 1,
    });
    for (const name of ['ida', 'kim', 'lee'])
      expect(await ledgerStatus(DAY, `${name}@${domain}`)).toBe('sent');
  });
});

describe('a claim left behind by a send that died between claim and send', () => {
  it('blocks a retry while it may still be running, and is taken over by a run once it is stale', async () => {
    const domain = 'stale.example';
    const subscribers = await subscribersFor(domain, ['mo', 'ned']);
    const ledger = new S3SendLedger(aws.bucket, 'faults-send-secret');
    // The invocation claimed mo, then timed out before calling SES: the entry says `claimed` for ever.
    expect(await ledger.claim(DAY, `mo@${domain}`)).toBe(true);

    const soon = new CountingMailer(new SesMailer(faultySes([], ses.endpoint)));
    const retry = await sendBriefing(
      { day: DAY, now: new Date() },
      { ...baseDeps, subscribers, mailer: soon, ledger },
    );
    expect(retry).toMatchObject({ sent: 1, skipped: 1 });
    expect(await ledgerStatus(DAY, `mo@${domain}`)).toBe('claimed');

    // Past the longest run a send can have, the claim is stale: the next run takes it over and sends.
    const later = new CountingMailer(new SesMailer(faultySes([], ses.endpoint)));
    const afterTimeout = await sendBriefing(
      { day: DAY, now: new Date() },
      { ...baseDeps, subscribers, mailer: later, ledger, now: () => new Date(Date.now() + 25 * 60_000) },
    );
    expect(afterTimeout).toMatchObject({ sent: 1, skipped: 1 });
    expect(Object.fromEntries(later.accepted)).toEqual({ [`mo@${domain}`]: 1 });
    expect(await ledgerStatus(DAY, `mo@${domain}`)).toBe('sent');
    expect(await delivered(domain)).toEqual({ [`mo@${domain}`]: 1, [`ned@${domain}`]: 1 });
  });
});
