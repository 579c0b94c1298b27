/**
 * The reader's form guard (core/reader-form.ts) on its own: which bodies are read at all, and which
 * sign-up and preference forms are refused, each with the message the 400 page shows.
 */
import { describe, expect, it } from 'vitest';
import { InputRejectedError } from '../../../functions/core/errors.ts';
import {
  BadFormError,
  MAX_FORM_BYTES,
  parseFormBody,
  readPreferencesForm,
  readSignupForm,
} from '../../../functions/core/reader-form.ts';

const FORM = 'application/x-www-form-urlencoded';
const refusal = (run: () => unknown): BadFormError => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(BadFormError);
    return error as BadFormError;
  }
  throw new Error('expected a BadFormError');
};

describe('parseFormBody', () => {
  it('reads an url-encoded body, with a charset parameter and any case of the type', () => {
    expect(parseFormBody(FORM, 'email=a%40example.com&x=1+2').get('x')).toBe('1 2');
    expect(parseFormBody(`  Application/X-WWW-Form-URLEncoded ; charset=UTF-8`, 'a=b').get('a')).toBe('b');
  });

  it('refuses any other body type, naming the one it wants', () => {
    for (const type of ['multipart/form-data; boundary=x', 'application/json', 'text/plain', '']) {
      expect(refusal(() => parseFormBody(type, 'a=b')).message).toBe(
        `The form must be sent as ${FORM}, as the page sends it.`,
      );
    }
  });

  it('refuses a body that is not percent-decodable', () => {
    expect(refusal(() => parseFormBody(FORM, 'email=%E0%A4%A')).message).toBe(
      'The form data is not properly encoded.',
    );
  });

  it('refuses control characters, raw or encoded only after decoding is checked', () => {
    for (const c of ['\u0000', '\u0008', '\u000e', '\u001f']) {
      expect(refusal(() => parseFormBody(FORM, `email=a${c}b`)).message).toBe(
        'The form data holds control characters.',
      );
    }
    // Tab, line breaks and form feed are not refused here; the field readers judge them.
    for (const c of ['\t', '\n', '\u000b', '\u000c', '\r', ' '])
      expect(parseFormBody(FORM, `a=x${c}y`).get('a')).toBe(`x${c}y`);
  });

  it('is a kind of InputRejectedError with its own code and name', () => {
    const error = refusal(() => parseFormBody('text/plain', ''));
    expect(error).toBeInstanceOf(InputRejectedError);
    expect(error.name).toBe('BadFormError');
    expect(error.reason.startsWith('bad-form: ')).toBe(true);
  });

  it('keeps the size bound a person filling a form never nears', () => {
    expect(MAX_FORM_BYTES).toBe(8192);
  });
});

describe('readSignupForm', () => {
  const form = (body: string) => new URLSearchParams(body);

  it('trims and lower-cases the address and reports an empty honeypot', () => {
    expect(readSignupForm(form('email=%20Reader%40Example.COM%20'))).toEqual({
      email: 'reader@example.com',
      honeypotFilled: false,
    });
    expect(readSignupForm(form('email=a%40example.com&website=')).honeypotFilled).toBe(false);
  });

  it('reports a filled honeypot', () => {
    expect(readSignupForm(form('email=a%40example.com&website=http%3A%2F%2Fspam')).honeypotFilled).toBe(true);
  });

  it('asks for an address when there is none', () => {
    for (const body of ['', 'email=', 'email=%20%20', 'name=x'])
      expect(refusal(() => readSignupForm(form(body))).message).toBe('Please give an email address.');
  });

  it('refuses an address that spans lines', () => {
    for (const body of ['email=a%40example.com%0ABcc%3A%20b%40x.com', 'email=a%40example.com%0D'])
      expect(refusal(() => readSignupForm(form(body))).message).toBe('An email address cannot span lines.');
  });

  it('refuses what is not a plain address, saying what is', () => {
    const error = refusal(() => readSignupForm(form('email=not-an-address')));
    expect(error.message).toMatch(/^That is not an address we can send to: .+\.$/);
  });
});

describe('readPreferencesForm', () => {
  const form = (body: string) => new URLSearchParams(body);

  it('reads an unsubscribe whatever else the form holds', () => {
    expect(readPreferencesForm(form('action=unsubscribe&cadence=x'))).toEqual({ action: 'unsubscribe' });
  });

  it('reads a save with its three raw choices', () => {
    expect(readPreferencesForm(form('action=save&cadence=weekly&timeZone=Europe%2FLondon&hour=7'))).toEqual({
      action: 'save',
      cadence: 'weekly',
      timeZone: 'Europe/London',
      hour: '7',
    });
    expect(readPreferencesForm(form('action=save&cadence=&timeZone=&hour='))).toEqual({
      action: 'save',
      cadence: '',
      timeZone: '',
      hour: '',
    });
  });

  it('refuses a form without a known action', () => {
    for (const body of ['', 'action=', 'action=delete', 'action=Save'])
      expect(refusal(() => readPreferencesForm(form(body))).message).toBe(
        'The form is missing its action (save or unsubscribe).',
      );
  });

  it('refuses a save missing any of its choices', () => {
    for (const body of [
      'action=save&timeZone=UTC&hour=7',
      'action=save&cadence=daily&hour=7',
      'action=save&cadence=daily&timeZone=UTC',
    ])
      expect(refusal(() => readPreferencesForm(form(body))).message).toBe(
        'The form must give cadence, timeZone and hour.',
      );
  });
});
