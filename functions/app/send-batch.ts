/**
 * Sending one fan-out batch (the send-worker's use case): render the day's briefing once per container,
 * then send it to the batch through the same ledger as the send Lambda, so a retried batch never emails
 * anyone twice.
 */

import { createHash } from 'node:crypto';
import { requireCalendarDay } from '../core/day.ts';
import { LruCache } from '../core/memo.ts';
import type { Edition } from '../core/reader-schedule.ts';
import type { RenderedBriefing } from '../core/render/types.ts';
import { normaliseAddress } from '../core/render/unsubscribe-token.ts';
import type { Cadence } from '../core/subscriber.ts';
import type { Day, Digest } from '../core/types.ts';
import { editionDigest, type SendDependencies, type SendReport, sendToSubscribers } from './send-briefing.ts';

/**
 * Rendered (not yet personalised) briefings kept for a container's life, so the many batches of one
 * day's fan-out that land on a warm container share one MJML render. A container sees one day's digest,
 * or two around a corrected digest or a re-send: a few entries are plenty.
 */
export const RENDER_CACHE_ENTRIES = 4;

/** One queued batch: an edition (a digest day, or a weekly edition's Monday) and the addresses to send it to. */
export interface SendBatch {
  readonly day: Day;
  /** Absent: daily. */
  readonly cadence?: Cadence;
  readonly emails: readonly string[];
  /** When the send run queued it (ISO 8601); absent in batches queued before this field existed. */
  readonly createdAt?: string;
}

/**
 * A queued briefing older than this is not sent: a batch redriven from the dead-letter queue days later
 * would bring yesterday's news, so each of its readers is recorded `expired` instead.
 */
export const DEFAULT_MAX_BRIEFING_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * A rendered briefing is reused only for the same day and digest content; the config and the renderer are
 * fixed for the sender's life, so they need no place in the key.
 */
function renderCacheKey(day: Day, digest: Digest): string {
  return `${day}:${createHash('sha256').update(JSON.stringify(digest)).digest('hex')}`;
}

/** A batch sender that keeps its renders in one bounded cache. */
export function createBatchSender(deps: SendDependencies): (batch: SendBatch) => Promise<SendReport> {
  const rendered = new LruCache<string, Promise<RenderedBriefing>>(RENDER_CACHE_ENTRIES);
  const renderOnce = (day: Day, digest: Digest): Promise<RenderedBriefing> => {
    const key = renderCacheKey(day, digest);
    const cached = rendered.get(key);
    if (cached) return cached;
    const render = deps.render(digest, deps.config);
    // A failed render is not kept: the next batch (or SQS's retry) renders again.
    render.catch(() => rendered.deleteIf(key, render));
    rendered.set(key, render);
    return render;
  };
  return async (batch) => {
    // A queued message is outside input: its day becomes an object key.
    const day = requireCalendarDay(batch.day, 'The message day');
    const { cadence } = batch;
    const edition: Edition =
      cadence === 'weekly'
        ? { cadence: 'weekly', key: `${day}-weekly`, monday: day }
        : { cadence: 'daily', key: day, day };
    const now = deps.now?.() ?? new Date();
    const maxAgeMs = deps.maxBriefingAgeMs ?? DEFAULT_MAX_BRIEFING_AGE_MS;
    const createdAt = batch.createdAt === undefined ? Number.NaN : Date.parse(batch.createdAt);
    if (now.getTime() - createdAt > maxAgeMs) {
      return expire(edition.key, batch.emails, batch.createdAt ?? '', deps);
    }
    const digest = await editionDigest(edition, deps.store);
    if (digest === null) throw new Error(`No digest for ${edition.key}.`);
    const briefing = await renderOnce(edition.key, digest);
    // The batch holds addresses as they were when it was queued: each is looked up in the list as it
    // is now, so a reader who unsubscribed (or was suppressed) since is not sent to.
    const current = new Map((await deps.subscribers.list()).map((s) => [normaliseAddress(s.email), s]));
    const subscribers = batch.emails.flatMap((email) => current.get(normaliseAddress(email)) ?? []);
    const report = await sendToSubscribers(digest, briefing, subscribers, deps, edition);
    const gone = batch.emails.length - subscribers.length;
    return gone === 0 ? report : { ...report, suppressed: (report.suppressed ?? 0) + gone };
  };
}

/** Records every reader of a too-old batch as `expired` (unless the ledger holds them already); sends nothing. */
async function expire(
  day: Day,
  emails: readonly string[],
  createdAt: string,
  deps: SendDependencies,
): Promise<SendReport> {
  const reason = `expired: the briefing was queued at ${createdAt} and is older than the send-worker accepts`;
  let expired = 0;
  for (const email of emails) {
    if (!(await deps.ledger.claim(day, email))) continue;
    await deps.ledger.markExpired(day, email, reason);
    expired++;
  }
  return { day, sent: 0, skipped: emails.length - expired, expired, failed: 0, failures: [] };
}
