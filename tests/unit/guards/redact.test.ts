/**
 * What each rule of log redaction is for: a word holding an address is hidden whole, whatever
 * punctuation surrounds it, a quoted local part with spaces is hidden with its domain, and only the
 * text a stack trace needs (scoped package paths) is let through.
 */
import { describe, expect, it } from 'vitest';
import { REDACTED_EMAIL, redactEmails, redactingJsonReplacer } from '../../../functions/core/redact.ts';

describe('redactEmails', () => {
  it('hides the whole word holding the address, not just the at sign', () => {
    expect(redactEmails('to ann.smith@example.org today')).toBe(`to ${REDACTED_EMAIL} today`);
  });

  it('hides a URL-encoded at sign in either case', () => {
    expect(redactEmails('?to=ann%40example.org')).toBe(REDACTED_EMAIL);
    expect(redactEmails('?to=ann%40EXAMPLE.org')).toBe(REDACTED_EMAIL);
  });

  it('ends a word at every separator that surrounds an address in headers, JSON and prose', () => {
    expect(redactEmails('a<b@c.d>e"f@g.h"(i@j.k),l@m.n;o@p.q:r@s.t')).toBe(
      `a<${REDACTED_EMAIL}>e"${REDACTED_EMAIL}"(${REDACTED_EMAIL}),${REDACTED_EMAIL};${REDACTED_EMAIL}:${REDACTED_EMAIL}`,
    );
    expect(redactEmails('keep\tx@y.z\nkeep')).toBe(`keep\t${REDACTED_EMAIL}\nkeep`);
  });

  it('keeps the words around an address as they were', () => {
    expect(redactEmails('Bounce (x@y.org): mailbox full')).toBe(`Bounce (${REDACTED_EMAIL}): mailbox full`);
  });

  it('hides a quoted local part with spaces, and its domain', () => {
    const redacted = redactEmails('To: "ann smith"@example.org, ok');
    expect(redacted).toBe(`To: ${REDACTED_EMAIL}, ok`);
  });

  it('does not let a quoted local part run across a line break (that would hide the lines before it)', () => {
    expect(redactEmails('said "hi\nthere"@x.org')).toBe(`said "hi\nthere"${REDACTED_EMAIL}`);
  });

  it('keeps an at sign right after node_modules/ (a scoped package path) but not one elsewhere in the word', () => {
    const frame = '/var/task/node_modules/@aws-sdk/client-s3/index.js:1:2';
    expect(redactEmails(frame)).toBe(frame);
    expect(redactEmails('/var/task/node_modules/@aws-sdk/x@y.org')).toBe(REDACTED_EMAIL);
    expect(redactEmails('node_modules/@a node_modules/@b')).toBe('node_modules/@a node_modules/@b');
  });

  it('returns text without an address unchanged', () => {
    expect(redactEmails('Sent 3 of 4 (1 failed)')).toBe('Sent 3 of 4 (1 failed)');
  });
});

describe('redactingJsonReplacer', () => {
  it('redacts string values and leaves other values alone', () => {
    const json = JSON.stringify(
      { to: 'ann@example.org', count: 2, nested: { list: ['b@c.de', true, null] } },
      redactingJsonReplacer,
    );
    expect(JSON.parse(json)).toEqual({
      to: REDACTED_EMAIL,
      count: 2,
      nested: { list: [REDACTED_EMAIL, true, null] },
    });
  });
});
