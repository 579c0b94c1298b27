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
}

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
    const { emails, cadence } = batch;
    const edition: Edition =
      cadence === 'weekly'
        ? { cadence: 'weekly', key: `${day}-weekly`, monday: day }
        : { cadence: 'daily', key: day, day };
    const digest = await editionDigest(edition, deps.store);
    if (digest === null) throw new Error(`No digest for ${edition.key}.`);
    const briefing = await renderOnce(edition.key, digest);
    const subscribers = emails.map((email) => ({ email, subscribedAt: '' }));
    return sendToSubscribers(digest, briefing, subscribers, deps, edition);
  };
}
