/**
 * Lambda Function URL events in and out: the reader request a use case reads, and the result Lambda
 * returns. Shared by the public endpoints so each handler stays wiring.
 */
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { MAX_FORM_BYTES, type ReaderRequest } from '../app/reader-flows.ts';
import type { ReaderPage } from '../core/render/reader-pages.ts';

/** The reader request in a Function URL event; the body is null when it is over MAX_FORM_BYTES. */
export function readerRequestOf(event: LambdaFunctionURLEvent): ReaderRequest {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  const headers = Object.fromEntries(
    Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v ?? '']),
  );
  return {
    method: event.requestContext?.http?.method ?? 'GET',
    path: event.rawPath ?? event.requestContext?.http?.path ?? '/',
    query: new URLSearchParams(event.rawQueryString ?? ''),
    contentType: headers['content-type'] ?? '',
    body: bytes.length > MAX_FORM_BYTES ? null : bytes.toString('utf8'),
  };
}

/** The page as Lambda's Function URL result. */
export function functionUrlResult(page: ReaderPage): LambdaFunctionURLResult {
  return { statusCode: page.status, headers: { ...page.headers }, body: page.body };
}

/** The plain 404 of a path no flow answers. */
export const NOT_FOUND_PAGE: ReaderPage = {
  status: 404,
  headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  body: 'Not found.',
};
