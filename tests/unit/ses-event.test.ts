/**
 * SES events read by type, from fixtures in the documented event-publishing shape
 * (tests/fixtures/ses-events): what each does to a subscriber record.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BAD_SES_EVENT,
  feedbackChange,
  parseSesEvent,
  sesEventOfMessage,
} from '../../functions/core/ses-event.ts';
import { type Subscriber, statusLabel } from '../../functions/core/subscriber.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/ses-events');
const fixture = (name: string): unknown => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
const reader: Subscriber = { email: 'ann@example.org', subscribedAt: '2026-01-01T00:00:00Z' };

describe('SES events', () => {
  it('reads every recipient of a bounce with several, bare and lower-cased', () => {
    const event = parseSesEvent(fixture('bounce-permanent-several-recipients.json'));
    expect(event).toMatchObject({
      type: 'Bounce',
      bounceType: 'Permanent',
      recipients: ['ann@example.org', 'bob@example.org', 'stranger@example.net'],
    });
    const after = feedbackChange(event)?.(reader);
    expect(after && statusLabel(after)).toBe('suppressed: bounce');
    expect(after?.suppression).toEqual({
      reason: 'bounce',
      at: '2026-11-23T07:00:03.000Z',
      detail: 'Permanent/General',
    });
  });

  it('suppresses for a complaint with no feedback type, and for one of type abuse', () => {
    for (const name of ['complaint-no-feedback-type.json', 'complaint-abuse.json']) {
      const event = parseSesEvent(fixture(name));
      expect(event.type).toBe('Complaint');
      const after = feedbackChange(event)?.(reader);
      expect(after && statusLabel(after), name).toBe('suppressed: complaint');
    }
    expect(parseSesEvent(fixture('complaint-no-feedback-type.json'))).toMatchObject({ feedbackType: null });
  });

  it('counts a transient bounce and lets a delivery reset the count, never counting a delivery as a bounce', () => {
    const bounce = feedbackChange(parseSesEvent(fixture('bounce-transient.json')));
    const delivery = feedbackChange(parseSesEvent(fixture('delivery.json')));
    const twice = bounce?.(bounce(reader)) as Subscriber;
    expect(twice.transientBounces).toBe(2);
    const delivered = delivery?.(twice) as Subscriber;
    expect(delivered.transientBounces).toBeUndefined();
    expect(statusLabel(delivery?.(delivery(reader)) as Subscriber)).toBe('active');
  });

  it('acknowledges the types that change nothing (DeliveryDelay, Reject)', () => {
    for (const name of ['delivery-delay.json', 'reject.json']) {
      const event = parseSesEvent(fixture(name));
      expect(event.type).toBe('Ignored');
      expect(feedbackChange(event)).toBeNull();
    }
  });

  it('refuses an unknown type and a malformed event, naming the type and no address', () => {
    expect(() => parseSesEvent(fixture('unknown-type.json'))).toThrow(
      expect.objectContaining({ code: BAD_SES_EVENT, message: expect.stringContaining('"Teleport"') }),
    );
    const malformed = () => parseSesEvent(fixture('malformed-bounce.json'));
    expect(malformed).toThrow(/"Bounce" skipped: it has no bouncedRecipients/);
    for (const bad of [null, [], 'Bounce', {}, { eventType: 'Bounce', bounce: { bounceType: 'Soft' } }]) {
      expect(() => parseSesEvent(bad)).toThrow(expect.objectContaining({ code: BAD_SES_EVENT }));
    }
    expect(() => sesEventOfMessage('{not json')).toThrow(expect.objectContaining({ code: BAD_SES_EVENT }));
  });

  it('unwraps an SNS envelope when raw message delivery is off', () => {
    const inner = readFileSync(join(FIXTURES, 'delivery.json'), 'utf8');
    const envelope = JSON.stringify({ Type: 'Notification', MessageId: 'x', Message: inner });
    expect(parseSesEvent(sesEventOfMessage(envelope)).type).toBe('Delivery');
  });
});
