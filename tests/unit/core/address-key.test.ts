/** The keyed address hash that names send-ledger entries (issue 18 §4). */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addressKey, legacyAddressKey } from '../../../functions/core/address-key.ts';

const unkeyed = (text: string) => createHash('sha256').update(text).digest('hex');

describe('addressKey', () => {
  it('is not the unkeyed SHA-256 a guesser could compute', () => {
    expect(addressKey('ada@example.org', 's3cret')).not.toBe(unkeyed('ada@example.org'));
    expect(addressKey('ada@example.org', 's3cret')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('depends on the secret', () => {
    expect(addressKey('ada@example.org', 'one')).not.toBe(addressKey('ada@example.org', 'two'));
  });

  it('is the same for every spelling of one address and differs between addresses', () => {
    expect(addressKey('  Ada@Example.ORG ', 'k')).toBe(addressKey('ada@example.org', 'k'));
    expect(addressKey('ada@example.org', 'k')).not.toBe(addressKey('bob@example.org', 'k'));
  });

  it('is a fixed value, so entries written by one deploy are found by the next', () => {
    expect(addressKey('ada@example.org', 'k')).toBe(
      'd98f3ce88a264710735969695923aedb69ea1f919be065bff94a059573ea8b35',
    );
  });

  it('refuses an empty secret instead of keying with nothing', () => {
    expect(() => addressKey('ada@example.org', '')).toThrow(/secret/);
  });
});

describe('legacyAddressKey', () => {
  it('is the unkeyed SHA-256 of the normalised address earlier releases wrote', () => {
    expect(legacyAddressKey(' Ada@Example.org')).toBe(unkeyed('ada@example.org'));
  });
});
