/** The stack secret's value as the keys that sign and verify reader links (rotation, issue 18 §4). */
import { describe, expect, it } from 'vitest';
import { currentSigningKey, signingKeysFrom } from '../../../functions/core/signing-keys.ts';

describe('signingKeysFrom', () => {
  it('reads a plain secret, as every stack made before rotation has, as key version 1', () => {
    expect(signingKeysFrom('Xk3{v9"q')).toEqual([{ version: 1, secret: 'Xk3{v9"q' }]);
  });

  it('reads a rotated secret as the current key first, then the previous one', () => {
    const value = JSON.stringify({ version: 2, secret: 'new', previous: { version: 1, secret: 'old' } });
    expect(signingKeysFrom(value)).toEqual([
      { version: 2, secret: 'new' },
      { version: 1, secret: 'old' },
    ]);
    expect(currentSigningKey(value)).toEqual({ version: 2, secret: 'new' });
  });

  it('reads a rotated secret whose grace period is over as the current key alone', () => {
    expect(signingKeysFrom('{"version": 3, "secret": "newest"}')).toEqual([{ version: 3, secret: 'newest' }]);
  });

  it.each([
    ['no version', '{"secret": "s"}'],
    ['an empty secret', '{"version": 2, "secret": ""}'],
    ['a fractional version', '{"version": 1.5, "secret": "s"}'],
    [
      'a previous key with the same version',
      '{"version": 2, "secret": "a", "previous": {"version": 2, "secret": "b"}}',
    ],
    ['a previous key without a secret', '{"version": 2, "secret": "a", "previous": {"version": 1}}'],
  ])('refuses a JSON value with %s, so a typo does not silently become the key', (_, value) => {
    expect(() => signingKeysFrom(value)).toThrow(/secret/);
  });

  it('refuses an empty secret', () => {
    expect(() => signingKeysFrom('')).toThrow(/empty/);
  });
});
