/**
 * The project's typed error tree. Each error says what went wrong and what to do about it,
 * and keeps the underlying error as `cause`.
 */

/**
 * Every class in the tree spells out its `name`: bundles rename classes (the Lambda bundles are
 * minified, and esbuild's keepNames, which would keep them, made HTML extraction twice as slow in
 * the preparation worker's bundle), and a name is what logs show and what crosses a thread boundary.
 */
export class NewsDigestError extends Error {
  override name = 'NewsDigestError';
}

/**
 * The input file cannot become an article (empty, binary, undecodable, not an article, too large).
 * The file is quarantined with `reason`; it is never retried, because retrying cannot change the answer.
 */
export class InputRejectedError extends NewsDigestError {
  override name = 'InputRejectedError';
  /** Short machine-friendly code, e.g. `empty`, `binary`, `invalid-encoding`, `too-large`, `no-article-text`. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
  /** The reason recorded in `articles.jsonl` and in quarantine: `<code>: <message>`. */
  get reason(): string {
    return `${this.code}: ${this.message}`;
  }
}

/** Configuration is missing or invalid. Raised once, at start-up, before any work is done. */
export class ConfigError extends NewsDigestError {
  override name = 'ConfigError';
}

/**
 * A storage write lost a race (S3 412 Precondition Failed / a changed ETag).
 * The caller reloads the state and applies its change again.
 */
export class ConcurrentWriteError extends NewsDigestError {
  override name = 'ConcurrentWriteError';
}

/** A dependency failed in a way that a later retry may fix (throttling, timeouts, 5xx). */
export class TransientError extends NewsDigestError {
  override name = 'TransientError';
}
