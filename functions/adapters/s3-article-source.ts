/** Reads input files from the bucket's incoming/ prefix, refusing one over the size limit unread. */
import { GetObjectCommand, type GetObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { BUCKET_PREFIXES } from '../contracts.ts';
import { InputRejectedError } from '../core/errors.ts';
import { MAX_INPUT_BYTES } from '../core/limits.ts';
import type { ArticleSource } from '../ports.ts';
import { s3Client } from './clients.ts';
import { isNotFound, translateS3Error } from './s3-errors.ts';

/**
 * The whole body, or null as soon as it passes `limit` bytes (the rest is never read: the stream is
 * closed). The bytes get their own ArrayBuffer, not a slice of a shared pool, since they may be
 * transferred to a preparation worker.
 */
async function readAtMost(
  body: NonNullable<GetObjectCommandOutput['Body']>,
  limit: number,
): Promise<Uint8Array | null> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const take = (chunk: Uint8Array): boolean => {
    total += chunk.byteLength;
    if (total > limit) return false;
    chunks.push(chunk);
    return true;
  };
  if (Symbol.asyncIterator in body) {
    // Node's Readable (what the SDK returns in Lambda); leaving the loop early destroys the stream.
    for await (const chunk of body as AsyncIterable<Uint8Array>) if (!take(chunk)) return null;
  } else {
    const reader = body.transformToWebStream().getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      if (!take(next.value as Uint8Array)) {
        await reader.cancel();
        return null;
      }
    }
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** Reads input files below `incoming/`. Keys passed in are relative to that prefix. */
export class S3ArticleSource implements ArticleSource {
  constructor(
    private readonly bucket: string,
    private readonly client: S3Client = s3Client(),
  ) {}

  async read(key: string): Promise<{ bytes: Uint8Array; arrivedAt: Date } | null> {
    const fullKey = `${BUCKET_PREFIXES.incoming}${key}`;
    let response: GetObjectCommandOutput;
    try {
      response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: fullKey }));
    } catch (error) {
      if (isNotFound(error)) return null;
      return translateS3Error(error, `Reading s3://${this.bucket}/${fullKey}`);
    }
    const tooLarge = (size: string) =>
      new InputRejectedError(
        'too-large',
        `The file is ${size} bytes; the limit is ${MAX_INPUT_BYTES} bytes. Split it or drop only the article text.`,
      );
    if ((response.ContentLength ?? 0) > MAX_INPUT_BYTES) {
      // Close the stream unread: a 50 MB file must not be pulled into the function's memory.
      (response.Body as { destroy?: () => void } | undefined)?.destroy?.();
      throw tooLarge(String(response.ContentLength));
    }
    const arrivedAt = response.LastModified ?? new Date();
    if (response.Body === undefined) return { bytes: new Uint8Array(), arrivedAt };
    // A known length was checked above, so the body is read whole. Without one (a proxy, an S3-compatible
    // store) the read itself stops at the limit.
    const bytes =
      response.ContentLength === undefined
        ? await readAtMost(response.Body, MAX_INPUT_BYTES)
        : await response.Body.transformToByteArray();
    if (bytes === null) throw tooLarge(`more than ${MAX_INPUT_BYTES}`);
    return { bytes, arrivedAt };
  }
}
