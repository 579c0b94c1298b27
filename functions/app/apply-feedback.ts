/**
 * The feedback use case: one SES event applied to the subscriber list. Each recipient's record is
 * changed by the event's rule (core/ses-event.ts) through the store's race-safe update; an address that
 * is not on the list is counted and left alone.
 */
import { type FeedbackEvent, feedbackChange, feedbackRecipients } from '../core/ses-event.ts';
import { statusLabel } from '../core/subscriber.ts';
import type { SubscriberStore } from '../ports.ts';

export interface FeedbackReport {
  /** The event type, as SES named it. */
  readonly eventType: string;
  /** Records the event changed or confirmed (a delivery with no bounce run to reset counts too). */
  readonly applied: number;
  /** Recipients not on the list: nothing was changed for them. */
  readonly notOnList: number;
  /** Status labels after the event, in recipient order (no addresses: reports are logged). */
  readonly statuses: readonly string[];
}

export async function applyFeedback(
  event: FeedbackEvent,
  subscribers: SubscriberStore,
): Promise<FeedbackReport> {
  const eventType = event.type === 'Ignored' ? event.eventType : event.type;
  const change = feedbackChange(event);
  let applied = 0;
  let notOnList = 0;
  const statuses: string[] = [];
  if (change === null) return { eventType, applied, notOnList, statuses };
  for (const email of feedbackRecipients(event)) {
    const updated = await subscribers.update(email, change);
    if (updated === null) notOnList++;
    else {
      applied++;
      statuses.push(statusLabel(updated));
    }
  }
  return { eventType, applied, notOnList, statuses };
}
