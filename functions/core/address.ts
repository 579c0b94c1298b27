/**
 * The one definition of an address the service can send to. The MIME builder puts addresses in
 * headers as they are (no SMTPUTF8, no encoded words), so an address must be plain ASCII: RFC 5322
 * dot-atom characters before a single `@`, a dotted domain of letters, digits and hyphens after it.
 * Every place an address comes in (CLI, stack configuration, subscriber stores) checks it with
 * `isPlainEmailAddress`, so a bad address is refused when it is added, not when the briefing is sent.
 */
import { InputRejectedError } from './errors.ts';

export const PLAIN_EMAIL_ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$/;

/**
 * What a plain address is, for error messages (which must not repeat the address: they may be logged).
 * It says "at sign", not "@": log redaction hides any word holding an @, and would hide this rule.
 */
export const PLAIN_EMAIL_ADDRESS_RULE =
  "a plain address is ASCII letters, digits and .!#$%&'*+/=?^_`{|}~- before a single at sign, then a dotted domain of ASCII letters, digits and hyphens (an international domain in its xn-- form)";

/** True when `value`, exactly as given (no trimming), is a plain ASCII email address. */
export function isPlainEmailAddress(value: string): boolean {
  return PLAIN_EMAIL_ADDRESS.test(value);
}

/**
 * The form a subscriber store keeps: trimmed and lower-cased (stores compare and hash addresses in
 * this form).
 * @throws InputRejectedError (`bad-address`) when it is not a plain address; the message does not
 * repeat the address, since a store's errors may be logged.
 */
export function subscriberAddress(email: string): string {
  const address = email.trim().toLowerCase();
  if (!isPlainEmailAddress(address)) {
    throw new InputRejectedError(
      'bad-address',
      `Not added: the address is not a plain email address; ${PLAIN_EMAIL_ADDRESS_RULE}.`,
    );
  }
  return address;
}
