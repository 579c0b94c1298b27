/**
 * A day named from outside becomes a path and an object key (`digests/<day>.json`), so only a
 * calendar day written YYYY-MM-DD is accepted (issue 18.5): by the send function's `event.day`, a
 * fan-out message and both digest stores, not only by the CLI.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FsDigestStore } from '../../../functions/adapters/fs-store.ts';
import { isCalendarDay } from '../../../functions/core/day.ts';
import { InputRejectedError } from '../../../functions/core/errors.ts';

const base = mkdtempSync(join(tmpdir(), 'day-input-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const BAD_DAYS = [
  '../secret',
  '../../digests/2022-02-28',
  '2022-02-28/../../x',
  '2022-2-28',
  '2022-02-30',
  '',
  '2022-02-28 ',
];

describe('isCalendarDay', () => {
  it('accepts calendar days written YYYY-MM-DD', () => {
    for (const day of ['2022-02-28', '2024-02-29', '1999-12-31']) expect(isCalendarDay(day)).toBe(true);
  });

  it.each(BAD_DAYS)('refuses %j', (day) => {
    expect(isCalendarDay(day)).toBe(false);
  });
});

describe('FsDigestStore.getDigest', () => {
  it('refuses a day that would read a file outside digests/', async () => {
    const root = join(base, 'out');
    mkdirSync(join(root, 'digests'), { recursive: true });
    // A file outside digests/ that `digests/../secret.json` would reach.
    writeFileSync(join(root, 'secret.json'), JSON.stringify({ schemaVersion: 1, date: 'x', stories: [] }));
    const store = new FsDigestStore(root);
    await expect(store.getDigest('../secret')).rejects.toThrow(InputRejectedError);
    await expect(store.getDigest('2022-02-28')).resolves.toBeNull();
  });
});
