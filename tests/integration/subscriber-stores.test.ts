/**
 * Both subscriber stores (the local file and S3 on s3rver) keep the records of core/subscriber.ts the
 * same way: statuses, preferences and bounce counts survive a round trip; a complaint suppression
 * outlives `remove` and refuses a plain `add`; an initial subscriber (from the stack) can be updated;
 * an update for an address not on the list changes nothing. S3 tombstones are keyed with the stack
 * secret when the store has it, and legacy unkeyed ones still hide their address.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsSubscriberStore } from '../../functions/adapters/fs-store.ts';
import { S3SubscriberStore } from '../../functions/adapters/s3-subscriber-store.ts';
import { addressKey } from '../../functions/core/address-key.ts';
import {
  COMPLAINT_SUPPRESSED,
  countTransientBounce,
  statusLabel,
  suppressSubscriber,
  withPreferences,
} from '../../functions/core/subscriber.ts';
import type { SubscriberStore } from '../../functions/ports.ts';
import { type LocalAws, useLocalAws } from './support/aws-env.ts';

let aws: LocalAws;
let folder: string;

beforeAll(async () => {
  aws = await useLocalAws();
  folder = mkdtempSync(join(tmpdir(), 'subscriber-stores-'));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const stores: [string, () => SubscriberStore][] = [
  ['local file', () => new FsSubscriberStore(folder)],
  ['S3', () => new S3SubscriberStore(aws.bucket)],
];

describe.each(stores)('%s subscriber store', (name, open) => {
  const domain = name === 'S3' ? 's3.example.org' : 'fs.example.org';

  it('keeps status, preferences and the bounce count through a round trip', async () => {
    const store = open();
    await store.add(`pat@${domain}`, { status: 'pending' });
    expect(statusLabel((await store.get(`pat@${domain}`)) ?? { email: '', subscribedAt: '' })).toBe(
      'pending',
    );
    await store.add(`pat@${domain}`); // the operator adds: active
    await store.update(`PAT@${domain}`, (s) =>
      withPreferences(countTransientBounce(s, '2026-03-01T00:00:00Z'), {
        cadence: 'weekly',
        timeZone: 'Asia/Tokyo',
        hour: 7,
      }),
    );
    expect(await open().get(`pat@${domain}`)).toMatchObject({
      status: 'active',
      cadence: 'weekly',
      timeZone: 'Asia/Tokyo',
      hour: 7,
      transientBounces: 1,
    });
  });

  it('keeps a complaint suppression through remove, and refuses a plain add of it', async () => {
    const store = open();
    await store.add(`cam@${domain}`);
    await store.update(`cam@${domain}`, (s) => suppressSubscriber(s, 'complaint', '2026-03-02T00:00:00Z'));
    expect(await store.remove(`cam@${domain}`)).toBe(false);
    expect(statusLabel((await store.get(`cam@${domain}`)) ?? { email: '', subscribedAt: '' })).toBe(
      'suppressed: complaint',
    );
    await expect(store.add(`cam@${domain}`)).rejects.toMatchObject({ code: COMPLAINT_SUPPRESSED });
    expect((await store.add(`cam@${domain}`, { override: true })).status).toBe('active');
  });

  it('changes nothing for an address that is not on the list', async () => {
    const store = open();
    const before = await store.list();
    expect(await store.update(`nobody@${domain}`, (s) => suppressSubscriber(s, 'bounce', 'x'))).toBeNull();
    expect(await store.list()).toEqual(before);
  });
});

describe('S3 initial subscribers', () => {
  it('are active records that an update moves into the operators list', async () => {
    await aws.put('subscribers/initial.json', JSON.stringify({ subscribers: ['Ini@Example.org'] }));
    const store = new S3SubscriberStore(aws.bucket);
    expect(await store.get('ini@example.org')).toMatchObject({ email: 'ini@example.org' });
    await store.update('ini@example.org', (s) => suppressSubscriber(s, 'bounce', '2026-03-03T00:00:00Z'));
    expect(await store.get('ini@example.org')).toMatchObject({ status: 'suppressed' });
    expect(await aws.getText('subscribers/list.json')).toContain('ini@example.org');
  });
});

describe('S3 unsubscribe tombstones', () => {
  const plainSha256 = (address: string) => createHash('sha256').update(address).digest('hex');
  const tombstones = async () =>
    (JSON.parse((await aws.getText('subscribers/list.json')) ?? '{}') as { unsubscribed: string[] })
      .unsubscribed;
  const keyedStore = () => new S3SubscriberStore(aws.bucket, undefined, async () => 'stack-secret');

  it('are keyed with the secret, and legacy unkeyed ones still hide the address', async () => {
    const initial = ['keyed@tomb.example', 'legacy@tomb.example', 'nosecret@tomb.example'];
    await aws.put('subscribers/initial.json', JSON.stringify({ subscribers: initial }));

    expect(await keyedStore().remove('Keyed@tomb.example')).toBe(true);
    expect(await tombstones()).not.toContain(plainSha256('keyed@tomb.example'));
    expect(await tombstones()).toContain(addressKey('keyed@tomb.example', 'stack-secret'));
    expect(await keyedStore().get('keyed@tomb.example')).toBeNull();
    const rotated = JSON.stringify({
      version: 2,
      secret: 'new',
      previous: { version: 1, secret: 'stack-secret' },
    });
    expect(
      await new S3SubscriberStore(aws.bucket, undefined, async () => rotated).get('keyed@tomb.example'),
    ).toBeNull();

    const list = JSON.parse((await aws.getText('subscribers/list.json')) ?? '{}') as {
      unsubscribed: string[];
    };
    list.unsubscribed.push(plainSha256('legacy@tomb.example'));
    await aws.put('subscribers/list.json', JSON.stringify(list));
    expect(await keyedStore().get('legacy@tomb.example')).toBeNull();

    expect(await new S3SubscriberStore(aws.bucket).remove('nosecret@tomb.example')).toBe(true);
    expect(await tombstones()).toContain(plainSha256('nosecret@tomb.example'));
    expect(await keyedStore().get('nosecret@tomb.example')).toBeNull();
    expect(await new S3SubscriberStore(aws.bucket).get('nosecret@tomb.example')).toBeNull();
    expect(
      (await keyedStore().list()).map((s) => s.email).filter((e) => e.endsWith('@tomb.example')),
    ).toEqual([]);

    await keyedStore().add('legacy@tomb.example');
    const back = await keyedStore().get('legacy@tomb.example');
    expect(statusLabel(back ?? { email: '', subscribedAt: '' })).toBe('active');
    expect(await tombstones()).not.toContain(plainSha256('legacy@tomb.example'));
  });
});
