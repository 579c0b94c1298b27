/** The subscriber rules of core/subscriber.ts: who may be added, who is suppressed, and when. */
import { describe, expect, it } from 'vitest';
import {
  admitSubscriber,
  COMPLAINT_SUPPRESSED,
  confirmSubscriber,
  countDelivery,
  countTransientBounce,
  isSendable,
  parsePreferences,
  type Subscriber,
  statusLabel,
  suppressSubscriber,
} from '../../functions/core/subscriber.ts';

const NOW = new Date('2026-03-01T00:00:00Z');
const ann: Subscriber = { email: 'ann@example.org', subscribedAt: '2026-01-01T00:00:00Z' };

describe('subscriber rules', () => {
  it('reads a record from before statuses as an active daily reader', () => {
    expect(statusLabel(ann)).toBe('active');
    expect(isSendable(ann)).toBe(true);
  });

  it('adds a sign-up as pending, and never downgrades or un-suppresses on a sign-up', () => {
    expect(admitSubscriber(null, 'ann@example.org', NOW, { status: 'pending' }).status).toBe('pending');
    expect(admitSubscriber(ann, ann.email, NOW, { status: 'pending' })).toBe(ann);
    const bounced = suppressSubscriber(ann, 'bounce', 'x');
    expect(admitSubscriber(bounced, ann.email, NOW, { status: 'pending' })).toBe(bounced);
  });

  it('refuses an operator add of a complaint-suppressed address unless overridden', () => {
    const complained = suppressSubscriber(ann, 'complaint', '2026-02-02T00:00:00Z');
    expect(() => admitSubscriber(complained, ann.email, NOW)).toThrow(
      expect.objectContaining({ code: COMPLAINT_SUPPRESSED }),
    );
    const back = admitSubscriber(complained, ann.email, NOW, { override: true });
    expect(back).toMatchObject({ status: 'active', complaintOverriddenAt: NOW.toISOString() });
    expect(back.suppression).toBeUndefined();
  });

  it('lets a confirmation clear a bounce suppression but not a complaint', () => {
    const bounced = countTransientBounce(suppressSubscriber(ann, 'bounce', 'x'), 'y');
    expect(confirmSubscriber(bounced)).toEqual({ ...ann, status: 'active' });
    const complained = suppressSubscriber(ann, 'complaint', 'x');
    expect(confirmSubscriber(complained)).toBe(complained);
  });

  it('suppresses after three transient bounces in a row, and a delivery resets the run', () => {
    let s = countTransientBounce(countTransientBounce(ann, 't1'), 't2');
    expect(isSendable(s)).toBe(true);
    s = countTransientBounce(countDelivery(s), 't3');
    expect(s.transientBounces).toBe(1);
    s = countTransientBounce(countTransientBounce(s, 't4'), 't5', 'MailboxFull');
    expect(statusLabel(s)).toBe('suppressed: bounce');
    expect(s.suppression).toMatchObject({
      at: 't5',
      detail: '3 transient bounces in a row (last: MailboxFull)',
    });
  });

  it('never lets a bounce replace a complaint', () => {
    const complained = suppressSubscriber(ann, 'complaint', 'x');
    expect(suppressSubscriber(complained, 'bounce', 'y')).toBe(complained);
  });

  it('accepts valid preferences and refuses bad ones naming the key and an example', () => {
    expect(parsePreferences({ cadence: 'Weekly', timeZone: 'America/New_York', hour: '0' })).toEqual({
      cadence: 'weekly',
      timeZone: 'America/New_York',
      hour: 0,
    });
    expect(() => parsePreferences({ hour: '-1' })).toThrow(/^hour must be .* such as 7/);
    expect(() => parsePreferences({ hour: '' })).toThrow(/^hour must be/);
    expect(() => parsePreferences({ timeZone: 'Europe/Atlantis' })).toThrow(
      /^time-zone .* such as Asia\/Tokyo/,
    );
    expect(() => parsePreferences({ cadence: 'hourly' })).toThrow(/^cadence must be daily or weekly/);
  });
});
