/**
 * The reputation guard's switch as one small JSON object, `{ reason, at }`: in
 * `<out>/control/sending-paused.json` locally (here), in the bucket (control/sending-paused.json) for the
 * Lambdas (s3-sending-pause.ts, apart, so the CLI loads no AWS SDK).
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { FIXED_KEYS } from '../contracts.ts';
import type { SendingPause } from '../ports.ts';
import { writeFileAtomic } from './fs-store.ts';

/** What a pause object says, for messages. */
export function describePause(body: string): string {
  try {
    const { reason, at } = JSON.parse(body) as { reason?: unknown; at?: unknown };
    return `${typeof reason === 'string' ? reason : 'paused by the reputation guard'}${typeof at === 'string' ? ` (since ${at})` : ''}`;
  } catch {
    // A switch an operator wrote by hand still pauses: its presence is what counts.
    return 'paused (the pause object is not JSON)';
  }
}

/** A pause object's body. */
export const pauseRecord = (reason: string, at: Date) =>
  `${JSON.stringify({ reason, at: at.toISOString() }, null, 2)}\n`;

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
      return describePause(await readFile(this.path, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async pause(reason: string, at: Date): Promise<void> {
    await writeFileAtomic(this.path, pauseRecord(reason, at));
  }

  async resume(): Promise<boolean> {
    const was = (await this.pausedBecause()) !== null;
    await rm(this.path, { force: true });
    return was;
  }
}
