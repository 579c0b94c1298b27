/**
 * What each part of the plain-address rule is for: every address the service sends to goes into a
 * header as it is, so anything around, inside or after a plain address must be refused, and the
 * refusal must say why without repeating the address (errors are logged).
 */
import { describe, expect, it } from 'vitest';
import {
  isPlainEmailAddress,
  PLAIN_EMAIL_ADDRESS_RULE,
  subscriberAddress,
} from '../../../functions/core/address.ts';
import { InputRejectedError } from '../../../functions/core/errors.ts';

describe('isPlainEmailAddress', () => {
  it('accepts multi-character local parts and labels, and any number of domain labels', () => {
    expect(isPlainEmailAddress('reader@example.org')).toBe(true);
    expect(isPlainEmailAddress('r@a.b.c.example')).toBe(true);
    expect(isPlainEmailAddress("A.b!#$%&'*+/=?^_`{|}~-9@Sub-1.Example-2.ORG")).toBe(true);
  });

  it('refuses text before the address (a display name glued on)', () => {
    expect(isPlainEmailAddress('Ann ann@example.org')).toBe(false);
    expect(isPlainEmailAddress('<ann@example.org')).toBe(false);
  });

  it('refuses text after the address (a header injection or a second address)', () => {
    expect(isPlainEmailAddress('ann@example.org\r\nBcc: x@example.org')).toBe(false);
    expect(isPlainEmailAddress('ann@example.org>')).toBe(false);
  });

  it('refuses a domain without a dot, or with an empty label', () => {
    expect(isPlainEmailAddress('ann@example')).toBe(false);
    expect(isPlainEmailAddress('ann@example..org')).toBe(false);
    expect(isPlainEmailAddress('ann@.example.org')).toBe(false);
    expect(isPlainEmailAddress('ann@example.org.')).toBe(false);
  });

  it('refuses an empty local part, and a second at sign', () => {
    expect(isPlainEmailAddress('@example.org')).toBe(false);
    expect(isPlainEmailAddress('a@b@example.org')).toBe(false);
  });
});

describe('subscriberAddress', () => {
  it('stores the address trimmed and lower-cased', () => {
    expect(subscriberAddress('  Ann.Smith@Example.ORG\n')).toBe('ann.smith@example.org');
  });

  it('refuses a non-plain address with the bad-address code and the rule, not the address', () => {
    let caught: unknown;
    try {
      subscriberAddress('Zoë <zoe@bücher.de>');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputRejectedError);
    expect((caught as InputRejectedError).code).toBe('bad-address');
    expect((caught as Error).message).toBe(
      `Not added: the address is not a plain email address; ${PLAIN_EMAIL_ADDRESS_RULE}.`,
    );
    expect(PLAIN_EMAIL_ADDRESS_RULE).toMatch(/^a plain address is ASCII letters.*xn-- form\)$/);
    expect((caught as Error).message).not.toMatch(/zo|bücher/i);
  });
});
