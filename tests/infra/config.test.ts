import { describe, expect, it } from 'vitest';
import { configFromContext, parseBrandConfig, parseConfig } from '../../functions/core/deploy-config.ts';
import { ConfigError } from '../../functions/core/errors.ts';

const VALID = { senderAddress: 'briefing@news.example.org', postalAddress: '1 High Street, London N1 1AA' };

function errorOf(raw: unknown): ConfigError {
  try {
    parseConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('parseConfig accepted an invalid configuration');
}

describe('parseConfig', () => {
  it('fills the documented defaults: 07:00 Europe/London, no subscribers, retain, brand as sender name, 30 active days', () => {
    expect(parseConfig(VALID)).toEqual({
      senderAddress: 'briefing@news.example.org',
      unsubscribeMailbox: 'briefing@news.example.org',
      senderName: 'News Digest',
      scheduleHour: 7,
      scheduleTimeZone: 'Europe/London',
      initialSubscribers: [],
      sesSandbox: false,
      removalPolicy: 'retain',
      activeDays: 30,
      brandName: 'News Digest',
      postalAddress: '1 High Street, London N1 1AA',
      senderDomain: 'news.example.org',
      mailFromDomain: 'mail.news.example.org',
    });
  });

  it('keeps every explicit value', () => {
    const config = parseConfig({
      ...VALID,
      senderName: 'The Morning',
      brandName: 'Morning Brief',
      scheduleHour: 0,
      scheduleTimeZone: 'America/New_York',
      initialSubscribers: ['ana@example.org'],
      removalPolicy: 'destroy',
      alarmTopicArn: 'arn:aws:sns:eu-west-2:123456789012:ops-alarms',
    });
    expect(config).toMatchObject({
      senderName: 'The Morning',
      brandName: 'Morning Brief',
      scheduleHour: 0,
      scheduleTimeZone: 'America/New_York',
      initialSubscribers: ['ana@example.org'],
      removalPolicy: 'destroy',
      alarmTopicArn: 'arn:aws:sns:eu-west-2:123456789012:ops-alarms',
    });
  });

  it('accepts the string forms that `-c key=value` produces', () => {
    const config = parseConfig({
      ...VALID,
      scheduleHour: '23',
      initialSubscribers: '["ana@example.org","bo@example.org"]',
    });
    expect(config.scheduleHour).toBe(23);
    expect(parseConfig({ ...VALID, activeDays: '90' }).activeDays).toBe(90);
    expect(config.initialSubscribers).toEqual(['ana@example.org', 'bo@example.org']);
    expect(
      parseConfig({ ...VALID, initialSubscribers: 'ana@example.org,bo@example.org' }).initialSubscribers,
    ).toEqual(['ana@example.org', 'bo@example.org']);
    expect(parseConfig(JSON.stringify(VALID)).senderAddress).toBe(VALID.senderAddress);
  });

  it('sends List-Unsubscribe mail to the sender unless an unsubscribe mailbox is configured', () => {
    expect(parseConfig(VALID).unsubscribeMailbox).toBe(VALID.senderAddress);
    expect(parseConfig({ ...VALID, unsubscribeMailbox: ' leave@news.example.org ' }).unsubscribeMailbox).toBe(
      'leave@news.example.org',
    );
  });

  it('canonicalises the time zone spelling and drops duplicate subscribers (case-insensitively)', () => {
    const config = parseConfig({
      ...VALID,
      scheduleTimeZone: 'europe/london',
      initialSubscribers: ['Ana@example.org', 'ana@example.org', 'bo@example.org'],
    });
    expect(config.scheduleTimeZone).toBe('Europe/London');
    // A current IANA name stays as written (ICU would map it to the legacy Asia/Calcutta).
    expect(parseConfig({ ...VALID, scheduleTimeZone: 'Asia/Kolkata' }).scheduleTimeZone).toBe('Asia/Kolkata');
    expect(config.initialSubscribers).toEqual(['Ana@example.org', 'bo@example.org']);
  });

  it('rejects a missing block with the command that fixes it', () => {
    const error = errorOf(undefined);
    expect(error.message).toContain('"newsDigest" context block is absent');
    expect(error.message).toContain('-c newsDigest.senderAddress=briefing@yourdomain.com');
  });

  it('rejects a missing sender address, naming the key and the fix', () => {
    const error = errorOf({ postalAddress: VALID.postalAddress });
    expect(error.message).toContain('newsDigest.senderAddress: missing');
    expect(error.message).toContain('-c newsDigest.senderAddress=briefing@yourdomain.com');
  });

  it.each([
    ['senderAddress', { senderAddress: 'briefing' }, 'is not an email address'],
    ['senderAddress', { senderAddress: 'Briefing <b@example.org>' }, 'is not an email address'],
    ['senderAddress', { senderAddress: 'briefing@bücher.de' }, 'cannot go in an email header'],
    ['unsubscribeMailbox', { unsubscribeMailbox: 'unsubscribe' }, 'is not an email address'],
    ['unsubscribeMailbox', { unsubscribeMailbox: 'désabonner@example.org' }, 'cannot go in an email header'],
    ['scheduleHour', { scheduleHour: 24 }, 'is not a whole hour from 0 to 23'],
    ['scheduleHour', { scheduleHour: 6.5 }, 'is not a whole hour from 0 to 23'],
    ['scheduleHour', { scheduleHour: '7am' }, 'is not a whole hour from 0 to 23'],
    ['activeDays', { activeDays: 0 }, 'is not a whole number of days from 1 to 3650'],
    ['activeDays', { activeDays: 7.5 }, 'is not a whole number of days from 1 to 3650'],
    ['activeDays', { activeDays: '30d' }, 'is not a whole number of days from 1 to 3650'],
    ['activeDays', { activeDays: 3651 }, 'is not a whole number of days from 1 to 3650'],
    ['scheduleTimeZone', { scheduleTimeZone: 'Europe/Londres' }, 'is not an IANA time zone'],
    ['scheduleTimeZone', { scheduleTimeZone: 'BST+1' }, 'is not an IANA time zone'],
    ['initialSubscribers', { initialSubscribers: { a: 1 } }, 'must be a list of email addresses'],
    [
      'initialSubscribers[1]',
      { initialSubscribers: ['ana@example.org', 'nobody'] },
      'is not an email address',
    ],
    ['removalPolicy', { removalPolicy: 'delete' }, 'is neither "retain" nor "destroy"'],
    ['postalAddress', { postalAddress: '  ' }, 'missing or empty'],
    ['brandName', { brandName: 'News\r\nBcc: x@example.org' }, 'must be a single line'],
    ['alarmTopicArn', { alarmTopicArn: 'ops-alarms' }, 'is not an SNS topic ARN'],
    ['accentColor', { accentColor: 'red' }, 'is not a #rrggbb colour'],
    ['accentColor', { accentColor: '#a11' }, 'is not a #rrggbb colour'],
    ['accentColor', { accentColor: '#a11d21; background:url(x)' }, 'is not a #rrggbb colour'],
    ['accentColor', { accentColor: 0xa11d21 }, 'is not a #rrggbb colour'],
    ['logoUrl', { logoUrl: 'http://news.example.org/logo.png' }, 'must use https'],
    ['logoUrl', { logoUrl: 'javascript:alert(1)' }, 'must use https'],
    ['logoUrl', { logoUrl: '/logo.png' }, 'is not an absolute URL'],
    ['logoUrl', { logoUrl: 'https://news.example.org/a" onerror="x' }, 'is not an absolute URL'],
    ['logoUrl', { logoUrl: 'https://me:secret@news.example.org/logo.png' }, 'must not carry a user name'],
    ['archiveBaseUrl', { archiveBaseUrl: 'ftp://news.example.org/archive' }, 'must use https'],
    ['archiveBaseUrl', { archiveBaseUrl: ['https://news.example.org'] }, 'is not an absolute URL'],
  ])('rejects a bad %s and says how to fix it', (key, override, problem) => {
    const error = errorOf({ ...VALID, ...override });
    expect(error.message).toContain(`newsDigest.${key}`);
    expect(error.message).toContain(problem);
    expect(error.message).toMatch(/Fix: -c newsDigest\.\S+=/);
  });

  it('takes the brand keys: a #rrggbb accent (lower-cased), https logo and archive URLs (no trailing slash)', () => {
    const config = parseConfig({
      ...VALID,
      accentColor: ' #1A4D8F ',
      logoUrl: 'https://news.example.org/logo.png',
      archiveBaseUrl: 'https://news.example.org/archive/',
    });
    expect(config).toMatchObject({
      accentColor: '#1a4d8f',
      logoUrl: 'https://news.example.org/logo.png',
      archiveBaseUrl: 'https://news.example.org/archive',
    });
    // Unset or empty (as `-c newsDigest.logoUrl=` gives): the keys are absent and the template default stays.
    const plain = parseConfig({ ...VALID, accentColor: '', logoUrl: '' });
    expect(plain).not.toHaveProperty('accentColor');
    expect(plain).not.toHaveProperty('logoUrl');
    expect(plain).not.toHaveProperty('archiveBaseUrl');
  });

  it('parseBrandConfig validates the brand keys alone, ignoring the deploy-only ones the CLI may lack', () => {
    expect(parseBrandConfig({ brandName: 'Morning Brief', accentColor: '#1a4d8f' })).toEqual({
      brandName: 'Morning Brief',
      senderName: 'Morning Brief',
      accentColor: '#1a4d8f',
    });
    expect(() => parseBrandConfig({ logoUrl: 'http://x.example.org/l.png' })).toThrow(
      /newsDigest\.logoUrl: "http:\/\/x\.example\.org\/l\.png" must use https.*Fix: -c newsDigest\.logoUrl=https:/,
    );
    expect(() => parseBrandConfig([])).toThrow(ConfigError);
  });

  it('accepts sesSandbox only with the verified recipients listed', () => {
    const config = parseConfig({ ...VALID, sesSandbox: 'true', initialSubscribers: ['ana@example.org'] });
    expect(config.sesSandbox).toBe(true);
    const error = errorOf({ ...VALID, sesSandbox: true });
    expect(error.message).toContain('newsDigest.initialSubscribers: is empty, but sesSandbox=true');
    expect(errorOf({ ...VALID, sesSandbox: 'yes' }).message).toContain('newsDigest.sesSandbox');
  });

  it('rejects unknown keys (a typo would otherwise silently fall back to a default)', () => {
    const error = errorOf({ ...VALID, scheduleHours: 6 });
    expect(error.message).toContain('Unknown configuration key newsDigest.scheduleHours');
  });
});

describe('configFromContext', () => {
  it('returns the cdk.json block untouched when there are no -c overrides', () => {
    expect(configFromContext({ newsDigest: VALID, other: 1 })).toEqual(VALID);
  });

  it('overlays dotted -c newsDigest.<key>=<value> entries on the block', () => {
    const raw = configFromContext({
      newsDigest: { ...VALID, scheduleHour: 7 },
      'newsDigest.scheduleHour': '6',
      'newsDigest.senderAddress': 'hello@other.example.org',
    });
    expect(parseConfig(raw)).toMatchObject({ scheduleHour: 6, senderAddress: 'hello@other.example.org' });
  });

  it('builds the configuration from dotted keys alone', () => {
    const raw = configFromContext({
      'newsDigest.senderAddress': VALID.senderAddress,
      'newsDigest.postalAddress': VALID.postalAddress,
    });
    expect(parseConfig(raw).senderAddress).toBe(VALID.senderAddress);
  });
});
