import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FsDigestStore } from '../../../functions/adapters/fs-store.ts';
import { writeDayEmails } from '../../../functions/adapters/local-email.ts';
import { mjmlRenderer } from '../../../functions/adapters/mjml-renderer.ts';
import { loadTemplates } from '../../../functions/adapters/templates.ts';
import { DEFAULT_BRIEFING_CONFIG } from '../../../functions/core/render/config.ts';
import type { Digest } from '../../../functions/core/types.ts';

const ROOT = join(import.meta.dirname, '../../..');

describe('local email outbox', () => {
  it('renders days with stories and removes the stale email of a day left with none', async () => {
    const out = mkdtempSync(join(tmpdir(), 'local-email-'));
    const store = new FsDigestStore(out);
    const withStories = JSON.parse(
      readFileSync(join(ROOT, 'tests', 'fixtures', 'digests', '2022-02-28.json'), 'utf8'),
    ) as Digest;
    await store.putDigest(withStories);
    await store.putDigest({ schemaVersion: 1, date: '2022-03-04', stories: [] });
    // An earlier run rendered 2022-03-04 while it still had a story.
    mkdirSync(join(out, 'email'), { recursive: true });
    for (const ext of ['html', 'txt', 'eml']) writeFileSync(join(out, 'email', `2022-03-04.${ext}`), 'stale');

    const written = await writeDayEmails(store, out, {
      config: DEFAULT_BRIEFING_CONFIG,
      render: mjmlRenderer(await loadTemplates()),
      unsubscribeSecret: 'test-secret',
      changedDays: ['2022-02-28', '2022-03-04'],
    });

    expect(written).toEqual(['2022-02-28']);
    expect(existsSync(join(out, 'email', '2022-02-28.eml'))).toBe(true);
    for (const ext of ['html', 'txt', 'eml'])
      expect(existsSync(join(out, 'email', `2022-03-04.${ext}`))).toBe(false);
  });
});
