/**
 * What each check of SES event reading is for: feedback changes subscriber records, so an event is
 * read by its type alone, a malformed one is refused naming its type (never an address), and every
 * recipient must be an address before any record changes.
 */
import { describe, expect, it } from 'vitest';
import { InputRejectedError } from '../../../functions/core/errors.ts';
import {
  BAD_SES_EVENT,
  feedbackChange,
  feedbackRecipients,
  parseSesEvent,
  sesEventOfMessage,
} from '../../../functions/core/ses-event.ts';
import type { Subscriber } from '../../../functions/core/subscriber.ts';

const AT = '2026-03-01T06:00:00.000Z';
const READER: Subscriber = { email: 'ann@example.org', subscribedAt: '2026-01-01T00:00:00Z' };

function refusal(input: unknown): InputRejectedError {
  try {
    parseSesEvent(input);
  } catch (error) {
    if (error instanceof InputRejectedError) return error;
    throw error;
  }
  throw new Error('the event was read');
}
const bounce = (bounce: Record<string, unknown>) => ({
  eventType: 'Bounce',
  bounce: {
    bounceType: 'Permanent',
    bouncedRecipients: [{ emailAddress: 'ann@example.org' }],
    timestamp: AT,
    ...bounce,
  },
});

describe('parseSesEvent refusals', () => {
  it('name the event type and the reason, with the bad-ses-event code', () => {
    expect(BAD_SES_EVENT).toBe('bad-ses-event');
    const cases: [unknown, string][] = [
      [null, 'SES event of type "(none)" skipped: it is not a JSON object.'],
      [[], 'SES event of type "(none)" skipped: it is not a JSON object.'],
      [{}, 'SES event of type "(none)" skipped: it has no eventType.'],
      [{ eventType: '' }, 'SES event of type "(none)" skipped: it has no eventType.'],
      [{ eventType: 7 }, 'SES event of type "(none)" skipped: it has no eventType.'],
      [{ eventType: 'Bogus' }, 'SES event of type "Bogus" skipped: not an SES event type.'],
      [{ eventType: 'Bounce' }, 'SES event of type "Bounce" skipped: it has no bounce object.'],
      [{ eventType: 'Complaint' }, 'SES event of type "Complaint" skipped: it has no complaint object.'],
      [
        { eventType: 'Delivery', delivery: [] },
        'SES event of type "Delivery" skipped: it has no delivery object.',
      ],
      [
        bounce({ bounceType: 'Soft' }),
        'SES event of type "Bounce" skipped: bounceType is not Permanent, Transient or Undetermined.',
      ],
      [bounce({ bouncedRecipients: [] }), 'SES event of type "Bounce" skipped: it has no bouncedRecipients.'],
      [
        bounce({ bouncedRecipients: 'ann@example.org' }),
        'SES event of type "Bounce" skipped: it has no bouncedRecipients.',
      ],
      [
        bounce({
          bouncedRecipients: [{ emailAddress: 'ann@example.org' }, { emailAddress: 'not an address' }],
        }),
        'SES event of type "Bounce" skipped: a recipient in bouncedRecipients is not an address.',
      ],
      [
        { eventType: 'Complaint', complaint: { complainedRecipients: [] } },
        'SES event of type "Complaint" skipped: it has no complainedRecipients.',
      ],
      [
        { eventType: 'Delivery', delivery: { recipients: [42] } },
        'SES event of type "Delivery" skipped: a recipient in recipients is not an address.',
      ],
    ];
    for (const [input, message] of cases) {
      const error = refusal(input);
      expect(error.code).toBe('bad-ses-event');
      expect(error.message).toBe(message);
    }
  });

  it('cut a long unknown type to 40 characters in the message', () => {
    expect(refusal({ eventType: `${'X'.repeat(40)}tail` }).message).toBe(
      `SES event of type "${'X'.repeat(40)}" skipped: not an SES event type.`,
    );
  });

  it('refuse a recipient that is not one bare address', () => {
    for (const recipient of ['a@b@c', 'ann @example.org', '@example.org', 'ann@', 'x ann@example.org y']) {
      expect(refusal(bounce({ bouncedRecipients: [recipient] })).code).toBe('bad-ses-event');
    }
  });
});

describe('parseSesEvent', () => {
  it('reads the older notificationType like eventType', () => {
    expect(
      parseSesEvent({
        notificationType: 'Delivery',
        delivery: { recipients: ['ann@example.org'], timestamp: AT },
      }),
    ).toEqual({
      type: 'Delivery',
      recipients: ['ann@example.org'],
      at: AT,
    });
  });

  it('takes recipients as strings or as { emailAddress }, with a display name, lower-cased and trimmed', () => {
    const event = parseSesEvent(
      bounce({ bouncedRecipients: [' Ann@Example.ORG ', { emailAddress: 'Bob Smith <Bob@Example.org> ' }] }),
    );
    expect(feedbackRecipients(event)).toEqual(['ann@example.org', 'bob@example.org']);
  });

  it('reads a bounce: its type, its subtype (General when absent, cut to 60), its time', () => {
    expect(parseSesEvent(bounce({ bounceType: 'Transient', bounceSubType: 'MailboxFull' }))).toEqual({
      type: 'Bounce',
      bounceType: 'Transient',
      bounceSubType: 'MailboxFull',
      recipients: ['ann@example.org'],
      at: AT,
    });
    expect(parseSesEvent(bounce({ bounceType: 'Undetermined' }))).toMatchObject({ bounceSubType: 'General' });
    expect(parseSesEvent(bounce({ bounceSubType: 'S'.repeat(70) }))).toMatchObject({
      bounceSubType: 'S'.repeat(60),
    });
  });

  it('reads a complaint’s feedback type, cut to 60, or null', () => {
    const complaint = (extra: Record<string, unknown>) => ({
      eventType: 'Complaint',
      complaint: { complainedRecipients: [{ emailAddress: 'ann@example.org' }], timestamp: AT, ...extra },
    });
    expect(parseSesEvent(complaint({ complaintFeedbackType: 'abuse' }))).toEqual({
      type: 'Complaint',
      feedbackType: 'abuse',
      recipients: ['ann@example.org'],
      at: AT,
    });
    expect(parseSesEvent(complaint({}))).toMatchObject({ feedbackType: null });
    expect(parseSesEvent(complaint({ complaintFeedbackType: 'f'.repeat(70) }))).toMatchObject({
      feedbackType: 'f'.repeat(60),
    });
  });

  it('takes the time from the detail, else from the mail, else the epoch for a missing or bad one', () => {
    expect(
      parseSesEvent({ ...bounce({ timestamp: undefined }), mail: { timestamp: '2026-02-01T00:00:00Z' } }),
    ).toMatchObject({
      at: '2026-02-01T00:00:00Z',
    });
    expect(parseSesEvent(bounce({ timestamp: 'yesterday' }))).toMatchObject({
      at: '1970-01-01T00:00:00.000Z',
    });
    expect(parseSesEvent(bounce({ timestamp: 12 }))).toMatchObject({ at: '1970-01-01T00:00:00.000Z' });
    expect(parseSesEvent({ ...bounce({ timestamp: undefined }), mail: 'x' })).toMatchObject({
      at: '1970-01-01T00:00:00.000Z',
    });
  });

  it.each(['Send', 'Reject', 'DeliveryDelay', 'Open', 'Click', 'Rendering Failure', 'Subscription'])(
    'acknowledges and skips a %s event, with no recipients',
    (eventType) => {
      const event = parseSesEvent({ eventType });
      expect(event).toEqual({ type: 'Ignored', eventType });
      expect(feedbackChange(event)).toBeNull();
      expect(feedbackRecipients(event)).toEqual([]);
    },
  );
});

describe('sesEventOfMessage', () => {
  it('unwraps an SNS envelope, and takes a raw message as it is', () => {
    const event = { eventType: 'Send' };
    expect(
      sesEventOfMessage(JSON.stringify({ Type: 'Notification', Message: JSON.stringify(event) })),
    ).toEqual(event);
    expect(sesEventOfMessage(JSON.stringify(event))).toEqual(event);
  });

  it('does not unwrap what only looks like an envelope', () => {
    const notEnvelope = { Type: 'SubscriptionConfirmation', Message: '{"eventType":"Send"}' };
    expect(sesEventOfMessage(JSON.stringify(notEnvelope))).toEqual(notEnvelope);
    const objectMessage = { Type: 'Notification', Message: { eventType: 'Send' } };
    expect(sesEventOfMessage(JSON.stringify(objectMessage))).toEqual(objectMessage);
    expect(sesEventOfMessage('null')).toBeNull();
  });

  it('refuses a message that is not JSON, saying so', () => {
    expect(() => sesEventOfMessage('{oops')).toThrow(
      new InputRejectedError(BAD_SES_EVENT, 'SES event of type "(none)" skipped: the message is not JSON.'),
    );
  });
});

describe('feedbackChange', () => {
  it('suppresses for a permanent bounce, with its type and subtype', () => {
    const event = parseSesEvent(bounce({ bounceSubType: 'NoEmail' }));
    expect(feedbackChange(event)?.(READER)).toMatchObject({
      status: 'suppressed',
      suppression: { reason: 'bounce', at: AT, detail: 'Permanent/NoEmail' },
    });
  });

  it('counts a transient bounce without suppressing', () => {
    const event = parseSesEvent(bounce({ bounceType: 'Transient', bounceSubType: 'MailboxFull' }));
    expect(feedbackChange(event)?.(READER)).toEqual({ ...READER, transientBounces: 1 });
  });

  it('suppresses for a complaint, naming its feedback type when there is one', () => {
    const complaint = (extra: Record<string, unknown>) =>
      parseSesEvent({
        eventType: 'Complaint',
        complaint: { complainedRecipients: ['ann@example.org'], timestamp: AT, ...extra },
      });
    expect(feedbackChange(complaint({ complaintFeedbackType: 'abuse' }))?.(READER)?.suppression).toEqual({
      reason: 'complaint',
      at: AT,
      detail: 'complaint/abuse',
    });
    expect(feedbackChange(complaint({}))?.(READER)?.suppression).toEqual({
      reason: 'complaint',
      at: AT,
      detail: 'complaint',
    });
    expect(feedbackChange(complaint({ complaintFeedbackType: 'not-spam' }))).toBeNull();
  });

  it('counts a delivery', () => {
    const event = parseSesEvent({
      eventType: 'Delivery',
      delivery: { recipients: ['ann@example.org'], timestamp: AT },
    });
    expect(feedbackChange(event)?.({ ...READER, transientBounces: 2 })).toEqual(READER);
  });
});
