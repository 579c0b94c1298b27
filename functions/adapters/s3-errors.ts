/** Maps AWS SDK errors onto the project's error tree, so the use cases need not know the SDK. */
import { ConcurrentWriteError, TransientError } from '../core/errors.ts';

interface SdkError {
  name?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

const TRANSIENT_NAMES = new Set([
  'Throttling',
  'ThrottlingException',
  'SlowDown',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'ServiceUnavailable',
  'InternalError',
  'NetworkingError',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
]);

export function httpStatusOf(error: unknown): number | undefined {
  return (error as SdkError | undefined)?.$metadata?.httpStatusCode;
}

export function isPreconditionFailed(error: unknown): boolean {
  const e = error as SdkError | undefined;
  return (
    httpStatusOf(error) === 412 ||
    e?.name === 'PreconditionFailed' ||
    e?.name === 'ConditionalRequestConflict'
  );
}

export function isNotFound(error: unknown): boolean {
  const e = error as SdkError | undefined;
  return httpStatusOf(error) === 404 || e?.name === 'NoSuchKey' || e?.name === 'NotFound';
}

export function isTransient(error: unknown): boolean {
  const e = error as (SdkError & { code?: string }) | undefined;
  if (e === undefined || e === null) return false;
  const status = httpStatusOf(error);
  return (
    TRANSIENT_NAMES.has(e.name ?? '') ||
    TRANSIENT_NAMES.has(e.code ?? '') ||
    e.$retryable !== undefined ||
    status === 429 ||
    (status !== undefined && status >= 500)
  );
}

/** Re-throws an SDK error as a ConcurrentWriteError, TransientError, or unchanged. */
export function translateS3Error(error: unknown, action: string): never {
  if (isPreconditionFailed(error)) {
    throw new ConcurrentWriteError(`${action}: another writer changed the object first (412).`, {
      cause: error,
    });
  }
  if (isTransient(error)) {
    throw new TransientError(`${action}: S3 is throttling or unavailable; retry later.`, { cause: error });
  }
  throw error;
}
