/**
 * Addresses are checked where they come in, by the one definition the MIME builder uses, so an
 * address that cannot be sent to is refused when it is added (CLI, stores: see
 * tests/unit/adapters/store-guards.test.ts; stack configuration: here) rather than failing every
 * morning's send. The builder's own refusal does not repeat the address: it may be logged.
 */
import { describe, expect, it } from 'vitest';
import { isPlainEmailAddress } from '../../../functions/core/address.ts';
import { parseConfig } from '../../../functions/core/deploy-config.ts';
import { ConfigError, InputRejectedError } from '../../../functions/core/errors.ts';
import { BAD_RECIPIENT, buildMimeMessage } from '../../../functions/core/render/mime.ts';

const VALID = { senderAddress: 'briefing@news.example.org', postalAddress: '1 High Street, London N1 1AA' };

const PLAIN = ['ann@example.org', "o'brien+news@sub.example.co.uk", 'x_y-z.42@xn--bcher-kva.de'];
const NOT_PLAIN = [
  'ann@bücher.de',
  'üser@例え.jp',
  'zelda@localhost',
  'Ann <ann@example.org>',
  'ann@example.org ',
  'ann@@example.org',
];

describe('isPlainEmailAddress', () => {
  it.each(PLAIN)('accepts %j', (address) => expect(isPlainEmailAddress(address)).toBe(true));
  it.each(NOT_PLAIN)('refuses %j', (address) => expect(isPlainEmailAddress(address)).toBe(false));
});

describe('the MIME builder refusing a recipient', () => {
  it('says why without repeating the address, with the code a send treats as that subscriber’s fault', () => {
    const error = (() => {
      try {
        buildMimeMessage({
          from: 'briefing@news.example.org',
          to: 'ann@bücher.de',
          subject: 'Briefing',
          html: '<p>x</p>',
          text: 'x',
          listUnsubscribeUrl: 'https://news.example.org/u?t=1',
          listUnsubscribeMailto: 'unsubscribe@news.example.org',
          date: new Date('2022-02-28T07:00:00Z'),
        });
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(InputRejectedError);
    expect((error as InputRejectedError).code).toBe(BAD_RECIPIENT);
    expect((error as Error).message).toContain('To address is not a plain email address');
    expect((error as Error).message).not.toMatch(/ann|bücher/);
  });
});

describe('initialSubscribers in the stack configuration', () => {
  it.each(['ann@bücher.de', 'üser@例え.jp'])('refuses %j with a config error naming the key', (address) => {
    expect(() => parseConfig({ ...VALID, initialSubscribers: ['bo@example.org', address] })).toThrow(
      ConfigError,
    );
    expect(() => parseConfig({ ...VALID, initialSubscribers: ['bo@example.org', address] })).toThrow(
      /newsDigest\.initialSubscribers\[1\]: .*cannot be sent to.*Fix: -c newsDigest\.initialSubscribers\[1\]=/,
    );
  });

  it('still takes plain addresses', () => {
    expect(parseConfig({ ...VALID, initialSubscribers: PLAIN }).initialSubscribers).toEqual(PLAIN);
  });
});
