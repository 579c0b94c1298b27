/**
 * The send ledger's claims in time. A send claims (day, subscriber) before SES is called and marks the
 * entry `sent` after; a send that dies in between (a timeout, a crash) leaves `claimed` behind. Such a
 * claim is stale once it is older than any send could still be running, and the next run takes it over.
 *
 * The trade-off: a stale claim is retried, so a reader whose message SES accepted just before the crash
 * (the `sent` mark lost) gets it twice; refusing to retry would instead lose the briefing for that
 * reader for good. A lost briefing is the worse failure, so delivery is at-least-once for this window
 * and exactly once otherwise (README "Operations").
 */

/** Lambda's longest run (15 minutes) plus margin: no send that claimed earlier can still be running. */
export const CLAIM_STALE_AFTER_MS = 20 * 60 * 1000;

/** Whether a ledger entry's bytes are a claim written before `staleBefore` (a missing time counts as old). */
export function isStaleClaim(entry: Uint8Array | string, staleBefore: Date): boolean {
  let parsed: { status?: unknown; at?: unknown };
  try {
    parsed = JSON.parse(typeof entry === 'string' ? entry : new TextDecoder().decode(entry));
  } catch {
    return false;
  }
  if (parsed.status !== 'claimed') return false;
  const at = typeof parsed.at === 'string' ? Date.parse(parsed.at) : Number.NaN;
  return Number.isNaN(at) || at < staleBefore.getTime();
}
