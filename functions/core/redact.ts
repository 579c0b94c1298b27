/**
 * Redaction of personal data in log output. Subscriber addresses are personal data: they must never
 * reach CloudWatch, so every string that is logged passes through here.
 */
const EMAIL_IN_TEXT = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/** Replaces every email address in `text` with a fixed marker. */
export function redactEmails(text: string): string {
  return text.replace(EMAIL_IN_TEXT, '[redacted-email]');
}

/** A JSON.stringify replacer that redacts addresses in every string value. */
export function redactingJsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? redactEmails(value) : value;
}
