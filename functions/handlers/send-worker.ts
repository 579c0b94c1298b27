/**
 * Send worker: one SQS message = one batch of subscribers for one day. It renders the day's briefing
 * once per container (see RENDER_CACHE_ENTRIES) and sends to the batch through the same ledger as
 * the send Lambda, so a retried message never emails anyone twice. Failed batches are reported
 * individually.
 */
import { createHash } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { env } from '../adapters/env.ts';
import { createLogger } from '../adapters/logger.ts';
import { sendDependenciesFromEnv } from '../adapters/send-dependencies.ts';
import { type RenderedBriefing, renderDigestBriefing } from '../app/compose.ts';
import { type SendDependencies, sendToSubscribers } from '../app/send-briefing.ts';
import type { Digest } from '../core/types.ts';

const logger = createLogger('news-digest-send-worker');

/**
 * Rendered (not yet personalised) briefings a worker keeps for its container's life, so the many
 * batches of one day's fan-out that land on a warm container share one MJML render. A container
 * sees one day's digest, or two around a corrected digest or a re-send: a few entries are plenty,
 * and the bound keeps a long-lived container from growing.
 */
export const RENDER_CACHE_ENTRIES = 4;

/**
 * A rendered briefing is reused only for the same day and the same digest content. The config and
 * the templates are fixed for a handler's life, and the cache belongs to the handler, so they need
 * no place in the key.
 */
function renderCacheKey(day: string, digest: Digest): string {
  return `${day}:${createHash('sha256').update(JSON.stringify(digest)).digest('hex')}`;
}

export function createSendWorkerHandler(deps: SendDependencies) {
  // Least recently used first (a Map iterates in insertion order).
  const rendered = new Map<string, Promise<RenderedBriefing>>();
  const renderOnce = (day: string, digest: Digest): Promise<RenderedBriefing> => {
    const key = renderCacheKey(day, digest);
    const cached = rendered.get(key);
    if (cached) {
      rendered.delete(key);
      rendered.set(key, cached);
      return cached;
    }
    const render = renderDigestBriefing(digest, deps.config, deps.templates);
    // A failed render is not kept: the next batch (or SQS's retry) renders again.
    render.catch(() => {
      if (rendered.get(key) === render) rendered.delete(key);
    });
    rendered.set(key, render);
    const oldest = rendered.keys().next().value;
    if (rendered.size > RENDER_CACHE_ENTRIES && oldest !== undefined) rendered.delete(oldest);
    return render;
  };
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const failures: { itemIdentifier: string }[] = [];
    for (const record of event.Records) {
      try {
        const { day, emails } = JSON.parse(record.body) as { day: string; emails: string[] };
        const digest = await deps.store.getDigest(day);
        if (digest === null) throw new Error(`No digest for ${day}.`);
        const briefing = await renderOnce(day, digest);
        const report = await sendToSubscribers(
          digest,
          briefing,
          emails.map((email) => ({ email, subscribedAt: '' })),
          { ...deps, onFailure: (f) => logger.warn('Send failed', { ...f }) },
        );
        // Only transient failures are worth a retry; the ledger already skips whoever was sent.
        if (report.failures.some((f) => !f.permanent)) failures.push({ itemIdentifier: record.messageId });
        logger.info('Batch sent', { day, sent: report.sent, skipped: report.skipped, failed: report.failed });
      } catch (error) {
        logger.error('Batch failed', { messageId: record.messageId, error: error as Error });
        failures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures: failures };
  };
}

let defaultHandler: ReturnType<typeof createSendWorkerHandler> | undefined;

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  // Workers run in parallel: each sends at its share of the account's SES rate.
  defaultHandler ??= createSendWorkerHandler(await sendDependenciesFromEnv(env.sendWorkerConcurrency()));
  return defaultHandler(event);
};
