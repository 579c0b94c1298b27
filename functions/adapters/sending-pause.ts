/**
 * The reputation guard's switch as one small JSON object, `{ reason, at }`: in the bucket
 * (control/sending-paused.json) for the Lambdas, in `<out>/control/sending-paused.json` locally.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { FIXED_KEYS } from '../contracts.ts';
import type { SendingPause } from '../ports.ts';
import { s3Client } from './clients.ts';
import { writeFileAtomic } from './fs-store.ts';
import { translateS3Error } from './s3-errors.ts';
import { getObject, putObject } from './s3-objects.ts';

function describe(body: string): string {
  try {
    const { reason, at } = JSON.parse(body) as { reason?: unknown; at?: unknown };
    return `${typeof reason === 'string' ? reason : 'paused by the reputation guard'}${typeof at === 'string' ? ` (since ${at})` : ''}`;
  } catch {
    // A switch an operator wrote by hand still pauses: its presence is what counts.
    return 'paused (the pause object is not JSON)';
  }
}

const record = (reason: string, at: Date) => `${JSON.stringify({ reason, at: at.toISOString() }, null, 2)}\n`;

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
    return object === null ? null : describe(new TextDecoder().decode(object.body));
  }

  async pause(reason: string, at: Date): Promise<void> {
    await putObject(this.client, this.bucket, FIXED_KEYS.sendingPause, record(reason, at));
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

export class FsSendingPause implements SendingPause {
  private readonly path: string;
  constructor(root: string) {
    this.path = join(root, FIXED_KEYS.sendingPause);
  }

  get location(): string {
    return this.path;
  }

  async pausedBecause(): Promise<string | null> {
    try {
      return describe(await readFile(this.path, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async pause(reason: string, at: Date): Promise<void> {
    await writeFileAtomic(this.path, record(reason, at));
  }

  async resume(): Promise<boolean> {
    const was = (await this.pausedBecause()) !== null;
    await rm(this.path, { force: true });
    return was;
  }
}
