/**
 * The keys that stand for an address in stored object names (send-ledger entries): an HMAC-SHA256
 * keyed with the stack's secret, so someone who can list the bucket cannot confirm a guessed address
 * by hashing it. The unkeyed SHA-256 of earlier releases is still derived, so entries written before
 * the change are recognised during the transition and no one is emailed twice on a deploy day.
 */
import { createHash, createHmac } from 'node:crypto';

/** Domain-separates these MACs from the tokens signed with the same secret. */
const CONTEXT = 'news-digest:address-key:v1:';

/** The form addresses are keyed in: trimmed and lower-cased. */
function normalise(email: string): string {
  return email.trim().toLowerCase();
}

/** The keyed form every new object name carries: 64 hex digits. */
export function addressKey(email: string, secret: string): string {
  if (secret.length === 0) throw new TypeError('The address-key secret must not be empty.');
  return createHmac('sha256', secret)
    .update(`${CONTEXT}${normalise(email)}`, 'utf8')
    .digest('hex');
}

/** The unkeyed SHA-256 earlier releases used; read only, to recognise objects they wrote. */
export function legacyAddressKey(email: string): string {
  return createHash('sha256').update(normalise(email)).digest('hex');
}
