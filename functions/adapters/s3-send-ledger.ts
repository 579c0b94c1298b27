/**
 * The send ledger in S3 (SendLedger): one object per (day, subscriber) under sent/, claimed with
 * If-None-Match: * so that a retried send never emails anyone twice. Keys carry the address's keyed hash
 * only (core/address-key.ts); an entry under the unkeyed hash earlier releases wrote still counts as taken.
 */
import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { BUCKET_PREFIXES } from '../contracts.ts';
import { addressKey, legacyAddressKey } from '../core/address-key.ts';
import { redactEmails } from '../core/redact.ts';
import { isStaleClaim } from '../core/send-claim.ts';
import type { Day } from '../core/types.ts';
import type { ClaimOptions, SendLedger } from '../ports.ts';
import { s3Client } from './clients.ts';
import { isPreconditionFailed, translateS3Error } from './s3-errors.ts';
import { getObject, headRevision, putObject } from './s3-objects.ts';

export class S3SendLedger implements SendLedger {
  constructor(
    private readonly bucket: string,
    /** The stack's secret (the unsubscribe secret) that keys the address hashes in entry names. */
    private readonly secret: string,
    private readonly client: S3Client = s3Client(),
  ) {
    if (secret.length === 0)
      throw new TypeError('The send ledger needs the stack secret to key its entries.');
  }

  private keyFor(day: Day, email: string): string {
    return `${BUCKET_PREFIXES.sent}${day}/${addressKey(email, this.secret)}.json`;
  }

  async claim(day: Day, email: string, options: ClaimOptions = {}): Promise<boolean> {
    // A day half-sent by the release before keyed names: whatever that entry says (sent, claimed,
    // rejected) stands, so the deploy never emails anyone twice; at worst one stuck claim is not retried.
    const legacyKey = `${BUCKET_PREFIXES.sent}${day}/${legacyAddressKey(email)}.json`;
    if ((await headRevision(this.client, this.bucket, legacyKey)) !== null) return false;
    const key = this.keyFor(day, email);
    if (await this.putClaim(key, day, { IfNoneMatch: '*' })) return true;
    if (options.staleBefore === undefined) return false;
    const existing = await getObject(this.client, this.bucket, key);
    if (existing === null || !isStaleClaim(existing.body, options.staleBefore)) return false;
    // Only the writer whose If-Match still names the stale entry takes it over.
    return this.putClaim(key, day, { IfMatch: existing.etag });
  }

  private async putClaim(key: string, day: Day, condition: { IfNoneMatch: '*' } | { IfMatch: string }) {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: JSON.stringify({ day, status: 'claimed', at: new Date().toISOString() }),
          ContentType: 'application/json',
          ...condition,
        }),
      );
      return true;
    } catch (error) {
      if (isPreconditionFailed(error)) return false;
      return translateS3Error(error, 'Claiming a send-ledger entry');
    }
  }

  async markExpired(day: Day, email: string, reason: string): Promise<void> {
    await putObject(
      this.client,
      this.bucket,
      this.keyFor(day, email),
      JSON.stringify({ day, status: 'expired', reason: redactEmails(reason), at: new Date().toISOString() }),
    );
  }

  async markSent(day: Day, email: string, messageId: string): Promise<void> {
    await putObject(
      this.client,
      this.bucket,
      this.keyFor(day, email),
      JSON.stringify({ day, status: 'sent', messageId, at: new Date().toISOString() }),
    );
  }

  async markRejected(day: Day, email: string, reason: string): Promise<void> {
    await putObject(
      this.client,
      this.bucket,
      this.keyFor(day, email),
      // SES refusals can name the address ("Address blacklisted: …"); the ledger keeps only its hash.
      JSON.stringify({ day, status: 'rejected', reason: redactEmails(reason), at: new Date().toISOString() }),
    );
  }

  async release(day: Day, email: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.keyFor(day, email) }));
    } catch (error) {
      translateS3Error(error, 'Releasing a send-ledger entry');
    }
  }
}
