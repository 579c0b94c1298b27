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

  it('reads a plain secret that happens to be valid JSON or starts with a brace as key version 1', () => {
    expect(signingKeysFrom('12345678')).toEqual([{ version: 1, secret: '12345678' }]);
    expect(signingKeysFrom('true')).toEqual([{ version: 1, secret: 'true' }]);
    expect(signingKeysFrom('{not json')).toEqual([{ version: 1, secret: '{not json' }]);
  });

  it('reads a rotated secret stored with leading white space', () => {
    expect(signingKeysFrom(' \n{"version": 2, "secret": "s"}')).toEqual([{ version: 2, secret: 's' }]);
  });

  it('accepts key versions from 1 to 9999', () => {
    expect(signingKeysFrom('{"version": 1, "secret": "s"}')).toEqual([{ version: 1, secret: 's' }]);
    expect(signingKeysFrom('{"version": 9999, "secret": "s"}')).toEqual([{ version: 9999, secret: 's' }]);
  });

  it.each([
    ['version 0', '{"version": 0, "secret": "s"}'],
    ['a negative version', '{"version": -2, "secret": "s"}'],
    ['version 10000', '{"version": 10000, "secret": "s"}'],
    ['a version given as a string', '{"version": "2", "secret": "s"}'],
    ['a secret that is not a string', '{"version": 2, "secret": 7}'],
  ])('refuses a current key with %s, naming what a key needs', (_, value) => {
    expect(() => signingKeysFrom(value)).toThrow('The stack secret is JSON but names no key');
  });

  it.each([
    ['null', 'null'],
    ['a string', '"old"'],
    ['a list', '[1, "old"]'],
  ])('refuses a previous key that is %s, naming what it needs', (_, previous) => {
    expect(() => signingKeysFrom(`{"version": 2, "secret": "a", "previous": ${previous}}`)).toThrow(
      'The stack secret\'s "previous" key needs its own version',
    );
  });

  it('refuses an empty secret', () => {
    expect(() => signingKeysFrom('')).toThrow(/empty/);
  });
});
