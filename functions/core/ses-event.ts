/**
 * SES feedback: reads one SES event (the event-publishing JSON a configuration set sends, `eventType`;
 * the older identity notifications, `notificationType`, read the same) and says what it does to each
 * recipient's subscriber record.
 *
 * Events are matched on their type and nothing else: a Delivery is never read as a bounce (listmonk
 * once counted every event that carried a recipient list as one).
 */
import { InputRejectedError } from './errors.ts';
import { countDelivery, countTransientBounce, type Subscriber, suppressSubscriber } from './subscriber.ts';

/** Every event type SES publishes; those that change nothing here are acknowledged and skipped. */
const KNOWN_EVENT_TYPES = new Set([
  'Bounce',
  'Complaint',
  'Delivery',
  'Send',
  'Reject',
  'DeliveryDelay',
  'Open',
  'Click',
  'Rendering Failure',
  'Subscription',
]);

export type FeedbackEvent =
  | {
      readonly type: 'Bounce';
      /** `Undetermined` is counted like a transient bounce: SES could not tell, so one is not enough. */
      readonly bounceType: 'Permanent' | 'Transient' | 'Undetermined';
      readonly bounceSubType: string;
      readonly recipients: readonly string[];
      readonly at: string;
    }
  | {
      readonly type: 'Complaint';
      /** `abuse`, `not-spam`, …; null when the mailbox provider sent none (many do not). */
      readonly feedbackType: string | null;
      readonly recipients: readonly string[];
      readonly at: string;
    }
  | { readonly type: 'Delivery'; readonly recipients: readonly string[]; readonly at: string }
  /** A known type that changes no record (Send, Reject, DeliveryDelay, Open, …). */
  | { readonly type: 'Ignored'; readonly eventType: string };

/** The code of a malformed or unknown event; its message names the type (never an address). */
export const BAD_SES_EVENT = 'bad-ses-event';

function refuse(eventType: string, why: string): never {
  throw new InputRejectedError(BAD_SES_EVENT, `SES event of type "${eventType}" skipped: ${why}.`);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The bare, lower-cased address of a recipient field (`Ann <ann@example.org>` or `ann@example.org`). */
function recipientAddress(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const address = (/<([^<>]+)>\s*$/.exec(value)?.[1] ?? value).trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+$/.test(address) ? address : null;
}

function recipients(eventType: string, list: unknown, field: string): string[] {
  if (!Array.isArray(list) || list.length === 0) refuse(eventType, `it has no ${field}`);
  const addresses = list.map((entry) => recipientAddress(isObject(entry) ? entry.emailAddress : entry));
  if (addresses.some((a) => a === null)) refuse(eventType, `a recipient in ${field} is not an address`);
  return addresses as string[];
}

function timestamp(detail: Record<string, unknown>, mail: unknown): string {
  const at = detail.timestamp ?? (isObject(mail) ? mail.timestamp : undefined);
  return typeof at === 'string' && !Number.isNaN(Date.parse(at)) ? at : new Date(0).toISOString();
}

/**
 * Reads one event.
 * @throws InputRejectedError (BAD_SES_EVENT) when it is not an SES event, of an unknown type, or lacks
 *   what its type needs; the message names the type.
 */
export function parseSesEvent(input: unknown): FeedbackEvent {
  if (!isObject(input)) refuse('(none)', 'it is not a JSON object');
  const rawType = input.eventType ?? input.notificationType;
  if (typeof rawType !== 'string' || rawType === '') refuse('(none)', 'it has no eventType');
  const eventType = rawType.slice(0, 40);
  if (!KNOWN_EVENT_TYPES.has(eventType)) refuse(eventType, 'not an SES event type');
  const detailKey =
    eventType === 'Rendering Failure' ? 'failure' : eventType[0]?.toLowerCase() + eventType.slice(1);
  const detail = input[detailKey];
  if (eventType === 'Bounce') {
    if (!isObject(detail)) refuse(eventType, 'it has no bounce object');
    const bounceType = detail.bounceType;
    if (bounceType !== 'Permanent' && bounceType !== 'Transient' && bounceType !== 'Undetermined') {
      refuse(eventType, 'bounceType is not Permanent, Transient or Undetermined');
    }
    return {
      type: 'Bounce',
      bounceType,
      bounceSubType: typeof detail.bounceSubType === 'string' ? detail.bounceSubType.slice(0, 60) : 'General',
      recipients: recipients(eventType, detail.bouncedRecipients, 'bouncedRecipients'),
      at: timestamp(detail, input.mail),
    };
  }
  if (eventType === 'Complaint') {
    if (!isObject(detail)) refuse(eventType, 'it has no complaint object');
    const feedbackType = detail.complaintFeedbackType;
    return {
      type: 'Complaint',
      feedbackType: typeof feedbackType === 'string' ? feedbackType.slice(0, 60) : null,
      recipients: recipients(eventType, detail.complainedRecipients, 'complainedRecipients'),
      at: timestamp(detail, input.mail),
    };
  }
  if (eventType === 'Delivery') {
    if (!isObject(detail)) refuse(eventType, 'it has no delivery object');
    return {
      type: 'Delivery',
      recipients: recipients(eventType, detail.recipients, 'recipients'),
      at: timestamp(detail, input.mail),
    };
  }
  return { type: 'Ignored', eventType };
}

/**
 * The SES event in one queue message: the message itself with SNS raw message delivery (the stack's
 * setting), or the `Message` of an SNS envelope otherwise.
 */
export function sesEventOfMessage(body: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new InputRejectedError(
      BAD_SES_EVENT,
      'SES event of type "(none)" skipped: the message is not JSON.',
    );
  }
  const envelope = parsed as { Type?: unknown; Message?: unknown };
  if (envelope?.Type === 'Notification' && typeof envelope.Message === 'string') {
    return sesEventOfMessage(envelope.Message);
  }
  return parsed;
}

/** What an event does to one recipient's record; null when it changes nothing. */
export function feedbackChange(event: FeedbackEvent): ((current: Subscriber) => Subscriber) | null {
  switch (event.type) {
    case 'Bounce': {
      const detail = `${event.bounceType}/${event.bounceSubType}`;
      if (event.bounceType === 'Permanent') return (s) => suppressSubscriber(s, 'bounce', event.at, detail);
      return (s) => countTransientBounce(s, event.at, detail);
    }
    case 'Complaint': {
      // A complaint of "not-spam" is a reader taking back an earlier report: it suppresses nothing.
      if (event.feedbackType === 'not-spam') return null;
      const detail = `complaint${event.feedbackType ? `/${event.feedbackType}` : ''}`;
      return (s) => suppressSubscriber(s, 'complaint', event.at, detail);
    }
    case 'Delivery':
      return countDelivery;
    case 'Ignored':
      return null;
  }
}

/** The event's recipients (none for an ignored type). */
export function feedbackRecipients(event: FeedbackEvent): readonly string[] {
  return event.type === 'Ignored' ? [] : event.recipients;
}
