/**
 * The S3 object operations every store shares: read a whole object, read an object's revision metadata,
 * and write with optional preconditions, each translating S3's errors into the project's own.
 */
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { isNotFound, translateS3Error } from './s3-errors.ts';

export async function getObject(
  client: S3Client,
  bucket: string,
  key: string,
): Promise<{ body: Uint8Array; etag: string; lastModified: Date | undefined } | null> {
  try {
    const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const body = await response.Body?.transformToByteArray();
    return { body: body ?? new Uint8Array(), etag: response.ETag ?? '', lastModified: response.LastModified };
  } catch (error) {
    if (isNotFound(error)) return null;
    return translateS3Error(error, `Reading s3://${bucket}/${key}`);
  }
}

export /** The ETag and the `revision` metadata of an object, or null when it does not exist. */
async function headRevision(
  client: S3Client,
  bucket: string,
  key: string,
): Promise<{ etag: string; revision: number | null } | null> {
  try {
    const response = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    const value = response.Metadata?.revision;
    const revision = value === undefined ? Number.NaN : Number(value);
    return { etag: response.ETag ?? '', revision: Number.isFinite(revision) ? revision : null };
  } catch (error) {
    if (isNotFound(error)) return null;
    return translateS3Error(error, `Reading the metadata of s3://${bucket}/${key}`);
  }
}

export async function putObject(
  client: S3Client,
  bucket: string,
  key: string,
  body: string | Uint8Array,
  conditions: { ifMatch?: string; ifNoneMatch?: string } = {},
  contentType = 'application/json',
  metadata?: Record<string, string>,
): Promise<string> {
  try {
    const response = await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentType: contentType,
        ...(metadata ? { Metadata: metadata } : {}),
        ...(conditions.ifMatch ? { IfMatch: conditions.ifMatch } : {}),
        ...(conditions.ifNoneMatch ? { IfNoneMatch: conditions.ifNoneMatch } : {}),
      }),
    );
    return response.ETag ?? '';
  } catch (error) {
    return translateS3Error(error, `Writing s3://${bucket}/${key}`);
  }
}
