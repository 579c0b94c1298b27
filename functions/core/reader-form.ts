/**
 * The reader's forms (sign-up and preferences) as the public endpoint receives them: the body's type,
 * encoding and characters are checked before any field is read, and each form's fields are checked
 * before anything is stored. Every refusal is a BadFormError whose message the 400 page shows as is.
 */
import { isPlainEmailAddress, PLAIN_EMAIL_ADDRESS_RULE } from './address.ts';
import { InputRejectedError } from './errors.ts';

/** Forms here are one address or three choices: anything near this is not a person filling a form. */
export const MAX_FORM_BYTES = 8 * 1024;

/** The only body type the reader's pages send. */
const FORM_TYPE = 'application/x-www-form-urlencoded';

/** C0 controls other than tab, line feed, vertical tab, form feed and carriage return. */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000e-\u001f]/;

/** A form the reader's pages could not have sent; its message tells the person what to change. */
export class BadFormError extends InputRejectedError {
  override name = 'BadFormError';
  constructor(message: string) {
    super('bad-form', message);
  }
}

/** The fields of an application/x-www-form-urlencoded body; BadFormError for anything else. */
export function parseFormBody(contentType: string, body: string): URLSearchParams {
  const type = (contentType.split(';')[0] as string).trim().toLowerCase();
  if (type !== FORM_TYPE) {
    throw new BadFormError(`The form must be sent as ${FORM_TYPE}, as the page sends it.`);
  }
  try {
    decodeURIComponent(body);
  } catch {
    throw new BadFormError('The form data is not properly encoded.');
  }
  if (CONTROL_CHARACTERS.test(body)) throw new BadFormError('The form data holds control characters.');
  return new URLSearchParams(body);
}

/** The sign-up form: a plain address, trimmed and lower-cased, and whether the hidden honeypot was filled. */
export interface SignupForm {
  readonly email: string;
  readonly honeypotFilled: boolean;
}

export function readSignupForm(form: URLSearchParams): SignupForm {
  const raw = form.get('email');
  if (raw === null || raw.trim() === '') throw new BadFormError('Please give an email address.');
  if (/[\r\n]/.test(raw)) throw new BadFormError('An email address cannot span lines.');
  const email = raw.trim().toLowerCase();
  if (!isPlainEmailAddress(email))
    throw new BadFormError(`That is not an address we can send to: ${PLAIN_EMAIL_ADDRESS_RULE}.`);
  // People never see the field; only a bot fills it.
  return { email, honeypotFilled: (form.get('website') ?? '') !== '' };
}

/** The preference form: leave, or save three raw choices (core/subscriber.ts parsePreferences checks them). */
export type PreferencesForm =
  | { readonly action: 'unsubscribe' }
  | { readonly action: 'save'; readonly cadence: string; readonly timeZone: string; readonly hour: string };

export function readPreferencesForm(form: URLSearchParams): PreferencesForm {
  const action = form.get('action');
  if (action === 'unsubscribe') return { action };
  if (action !== 'save') throw new BadFormError('The form is missing its action (save or unsubscribe).');
  const cadence = form.get('cadence');
  const timeZone = form.get('timeZone');
  const hour = form.get('hour');
  if (cadence === null || timeZone === null || hour === null) {
    throw new BadFormError('The form must give cadence, timeZone and hour.');
  }
  return { action, cadence, timeZone, hour };
}
