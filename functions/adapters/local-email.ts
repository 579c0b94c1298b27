/**
 * Writes `<out>/email/<day>.{html,txt,eml}`: what a subscriber would receive for each digest day.
 * Only days whose digest changed in this run, or whose email is missing, are rendered again. A day
 * left with no stories (its articles moved to another day's story) has no email, as the sender
 * sends none: a stale one from an earlier run is removed.
 */
import { access, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { composeMessage } from '../app/compose.ts';
import type { BriefingConfig } from '../core/render/config.ts';
import type { Day } from '../core/types.ts';
import type { BriefingRenderer, DigestStore } from '../ports.ts';
import { writeFileAtomic } from './fs-store.ts';

/** The address the sample message in `email/` is written for; real sends use each subscriber's own. */
export const SAMPLE_RECIPIENT = 'reader@example.com';

export interface LocalEmailOptions {
  readonly config: BriefingConfig;
  readonly render: BriefingRenderer;
  readonly unsubscribeSecret: string;
  /** Days known to have changed in this run; they are re-rendered even if their email exists. */
  readonly changedDays?: readonly Day[];
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

export async function writeDayEmails(
  store: DigestStore,
  outputDir: string,
  options: LocalEmailOptions,
): Promise<Day[]> {
  const written: Day[] = [];
  const changed = new Set(options.changedDays ?? []);
  for (const day of await store.listDigestDays()) {
    const base = join(outputDir, 'email', day);
    if (!changed.has(day) && (await exists(`${base}.eml`))) continue;
    const digest = await store.getDigest(day);
    if (digest === null) continue;
    if (digest.stories.length === 0) {
      await Promise.all(['html', 'txt', 'eml'].map((ext) => rm(`${base}.${ext}`, { force: true })));
      continue;
    }
    const rendered = await options.render(digest, options.config);
    const message = composeMessage(
      rendered,
      digest,
      options.config,
      SAMPLE_RECIPIENT,
      options.unsubscribeSecret,
    );
    await writeFileAtomic(`${base}.html`, message.html);
    await writeFileAtomic(`${base}.txt`, message.text);
    await writeFileAtomic(`${base}.eml`, message.raw);
    written.push(day);
  }
  return written;
}
