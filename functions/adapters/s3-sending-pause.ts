/**
 * The reputation guard's switch in the bucket (control/sending-paused.json) for the Lambdas; the same
 * `{ reason, at }` object as the local one (sending-pause.ts).
 */
import { DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { FIXED_KEYS } from '../contracts.ts';
import type { SendingPause } from '../ports.ts';
import { s3Client } from './clients.ts';
import { translateS3Error } from './s3-errors.ts';
import { getObject, putObject } from './s3-objects.ts';
import { describePause, pauseRecord } from './sending-pause.ts';

export class S3SendingPause implements SendingPause {
  constructor(
    private readonly bucket: string,
    private readonly client: S3Client = s3Client(),
  ) {}

  /** The object that pauses sending, for messages that say what to delete. */
  get location(): string {
    return `s3://${this.bucket}/${FIXED_KEYS.sendingPause}`;
  }

  async pausedBecause(): Promise<string | null> {
    const object = await getObject(this.client, this.bucket, FIXED_KEYS.sendingPause);
    return object === null ? null : describePause(new TextDecoder().decode(object.body));
  }

  async pause(reason: string, at: Date): Promise<void> {
    await putObject(this.client, this.bucket, FIXED_KEYS.sendingPause, pauseRecord(reason, at));
  }

  async resume(): Promise<boolean> {
    const was = (await this.pausedBecause()) !== null;
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: FIXED_KEYS.sendingPause }));
    } catch (error) {
      translateS3Error(error, `Deleting ${this.location}`);
    }
    return was;
  }
}
