/**
 * Where the archive site is written in AWS: the bucket's `site/` prefix (one PutObject per file, which S3
 * makes visible whole or not at all). The manifest sits beside the engine state, not in the served
 * prefix. The local run's store is fs-site-store.ts, apart, so the CLI loads no AWS SDK.
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { BUCKET_PREFIXES, FIXED_KEYS } from '../contracts.ts';
import type { SiteManifest } from '../core/site/manifest.ts';
import type { SiteFile } from '../core/site/site.ts';
import type { SiteStore } from '../ports.ts';
import { s3Client } from './clients.ts';
import { isNotFound, translateS3Error } from './s3-errors.ts';

const SITE_PREFIX = BUCKET_PREFIXES.site;
const SITE_MANIFEST_KEY = FIXED_KEYS.siteManifest;

export class S3SiteStore implements SiteStore {
  constructor(
    private readonly bucket: string,
    private readonly client: S3Client = s3Client(),
  ) {}

  async loadManifest(): Promise<unknown> {
    try {
      const response = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: SITE_MANIFEST_KEY }),
      );
      return JSON.parse((await response.Body?.transformToString('utf8')) ?? 'null');
    } catch (error) {
      if (isNotFound(error)) return null;
      return translateS3Error(error, `Reading s3://${this.bucket}/${SITE_MANIFEST_KEY}`);
    }
  }

  async saveManifest(manifest: SiteManifest): Promise<void> {
    await this.put(SITE_MANIFEST_KEY, JSON.stringify(manifest), 'application/json', 'no-store');
  }

  async putFile(file: SiteFile): Promise<void> {
    await this.put(`${SITE_PREFIX}${file.path}`, file.body, file.contentType, file.cacheControl);
  }

  private async put(key: string, body: string, contentType: string, cacheControl: string): Promise<void> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
          CacheControl: cacheControl,
        }),
      );
    } catch (error) {
      translateS3Error(error, `Writing s3://${this.bucket}/${key}`);
    }
  }
}
