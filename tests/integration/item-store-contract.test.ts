/**
 * The ItemStore contract, run against both stores: DynamoDB (dynalite through the real SDK client,
 * large values on s3rver) and the local node:sqlite store. Whatever the ingest use case relies on is
 * asserted here once, so the two stores cannot drift apart.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoItemStore } from '../../functions/adapters/dynamo-item-store.ts';
import { SqliteItemStore } from '../../functions/adapters/sqlite-item-store.ts';
import { ConcurrentWriteError } from '../../functions/core/errors.ts';
import { type ItemKey, type ItemStore, itemKeyId } from '../../functions/ports.ts';
import { useLocalAws } from './support/aws-env.ts';
import { useItemTable } from './support/item-table.ts';

/** A clock the tests move by hand (seconds since the epoch). */
const START = 1_800_000_000;
let clock = START;
const now = () => clock;

const folder = mkdtempSync(join(tmpdir(), 'item-store-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const stores: { name: string; open: () => Promise<ItemStore> }[] = [
  {
    name: 'DynamoDB (dynalite)',
    open: async () => {
      const aws = await useLocalAws();
      const { table, client } = await useItemTable();
      return new DynamoItemStore({
        table,
        client,
        largeValues: { bucket: aws.bucket, client: new S3Client({ forcePathStyle: true }) },
        now,
      });
    },
  },
  {
    name: 'sqlite',
    open: async () => new SqliteItemStore(join(folder, 'items.sqlite'), { now }),
  },
];

let counter = 0;
/** A key no other test uses, so the cases share one store without seeing each other's items. */
function freshKey(sort = ''): ItemKey {
  counter += 1;
  return { partition: `story#${counter}`, sort };
}

describe.each(stores)('ItemStore contract: $name', ({ open }) => {
  let store: ItemStore;
  beforeAll(async () => {
    store = await open();
  });

  it('reads nothing for keys never written, then what was written, with version 1', async () => {
    const key = freshKey();
    expect((await store.getMany([key])).size).toBe(0);
    const value = { terms: ['ukraine', 'corridor'], weight: 0.25, nested: { empty: '', list: [] } };
    expect(await store.put({ key, value, expectedVersion: null, expiresAt: START + 100 })).toBe(1);
    const item = (await store.getMany([key])).get(itemKeyId(key));
    expect(item).toEqual({ key, value, version: 1, expiresAt: START + 100 });
  });

  it('refuses to create an item that exists, and keeps the first value', async () => {
    const key = freshKey();
    await store.put({ key, value: 'first', expectedVersion: null });
    await expect(store.put({ key, value: 'second', expectedVersion: null })).rejects.toBeInstanceOf(
      ConcurrentWriteError,
    );
    expect((await store.getMany([key])).get(itemKeyId(key))?.value).toBe('first');
  });

  it('writes at the version read, and refuses a stale version', async () => {
    const key = freshKey();
    await store.put({ key, value: 1, expectedVersion: null });
    expect(await store.put({ key, value: 2, expectedVersion: 1 })).toBe(2);
    await expect(store.put({ key, value: 'stale', expectedVersion: 1 })).rejects.toBeInstanceOf(
      ConcurrentWriteError,
    );
    await expect(store.put({ key, value: 'ahead', expectedVersion: 5 })).rejects.toBeInstanceOf(
      ConcurrentWriteError,
    );
    const item = (await store.getMany([key])).get(itemKeyId(key));
    expect(item?.value).toBe(2);
    expect(item?.version).toBe(2);
    expect(item?.expiresAt).toBeNull();
  });

  it('lets exactly one of many writers racing from the same version win', async () => {
    const key = freshKey();
    await store.put({ key, value: 'base', expectedVersion: null });
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, writer) => store.put({ key, value: writer, expectedVersion: 1 })),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const lost of results.filter((r) => r.status === 'rejected')) {
      expect(lost.reason).toBeInstanceOf(ConcurrentWriteError);
    }
    const item = (await store.getMany([key])).get(itemKeyId(key));
    expect(item?.version).toBe(2);
    expect(typeof item?.value).toBe('number');
  });

  it('lets exactly one of many creators of a new item win', async () => {
    const key = freshKey();
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, writer) => store.put({ key, value: writer, expectedVersion: null })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('deletes only at the version read', async () => {
    const key = freshKey();
    await store.put({ key, value: 'a', expectedVersion: null });
    await store.put({ key, value: 'b', expectedVersion: 1 });
    await expect(store.delete(key, 1)).rejects.toBeInstanceOf(ConcurrentWriteError);
    expect((await store.getMany([key])).size).toBe(1);
    await store.delete(key, 2);
    expect((await store.getMany([key])).size).toBe(0);
    await expect(store.delete(key, 2)).rejects.toBeInstanceOf(ConcurrentWriteError);
    expect(await store.put({ key, value: 'again', expectedVersion: null })).toBe(1);
  });

  it('writes and deletes an unversioned item whatever it holds, never over a counter item', async () => {
    const key = freshKey();
    expect(await store.put({ key, value: 'a', expectedVersion: 'any', expiresAt: START + 50 })).toBe(1);
    expect(await store.put({ key, value: 'b', expectedVersion: 'any' })).toBe(1);
    const item = (await store.getMany([key])).get(itemKeyId(key));
    expect(item).toEqual({ key, value: 'b', version: 1, expiresAt: null });
    // Concurrent unversioned writers never conflict.
    await Promise.all(
      Array.from({ length: 8 }, (_, writer) => store.put({ key, value: writer, expectedVersion: 'any' })),
    );
    await store.delete(key, 'any');
    expect((await store.getMany([key])).size).toBe(0);
    await store.delete(key, 'any');
    const counter = freshKey();
    await store.addCounts(counter, { n: 1 });
    await expect(store.put({ key: counter, value: 'x', expectedVersion: 'any' })).rejects.toBeInstanceOf(
      TypeError,
    );
    expect((await store.getMany([counter])).get(itemKeyId(counter))?.value).toEqual({ n: 1 });
  });

  it('treats an expired item as gone: unread, unlisted, replaceable as new, not writable at its old version', async () => {
    const key = freshKey('2026-03-01');
    const kept = { partition: key.partition, sort: '2026-03-02' };
    await store.put({ key, value: 'old', expectedVersion: null, expiresAt: clock + 10 });
    await store.put({ key: kept, value: 'kept', expectedVersion: null, expiresAt: clock + 1000 });
    clock += 10;
    try {
      expect((await store.getMany([key, kept])).has(itemKeyId(key))).toBe(false);
      expect((await store.listPartition(key.partition)).map((i) => i.value)).toEqual(['kept']);
      await expect(store.put({ key, value: 'late', expectedVersion: 1 })).rejects.toBeInstanceOf(
        ConcurrentWriteError,
      );
      expect(await store.put({ key, value: 'new', expectedVersion: null })).toBe(1);
      const item = (await store.getMany([key])).get(itemKeyId(key));
      expect(item).toMatchObject({ value: 'new', version: 1, expiresAt: null });
    } finally {
      clock = START;
    }
  });

  it('reads many keys at once, more than one request holds, each once', async () => {
    const partition = freshKey().partition;
    const keys = Array.from({ length: 230 }, (_, i) => ({
      partition,
      sort: `a${String(i).padStart(3, '0')}`,
    }));
    await Promise.all(keys.map((key, i) => store.put({ key, value: { i }, expectedVersion: null })));
    const asked = [...keys, ...keys.slice(0, 20), { partition, sort: 'missing' }];
    const found = await store.getMany(asked);
    expect(found.size).toBe(230);
    expect(found.get(itemKeyId(keys[229] as ItemKey))?.value).toEqual({ i: 229 });
  });

  it.each(['story#', 'term#'])(
    'lists a counter item with the other items of its partition (%s…), and keeps counting it among them',
    async (prefix) => {
      const key = { partition: `${prefix}${freshKey().partition}`, sort: '' };
      const counter = { partition: key.partition, sort: '!df' };
      const entry = { partition: key.partition, sort: 's1' };
      await store.put({ key: entry, value: { at: 1 }, expectedVersion: 'any' });
      await store.addCounts(counter, { df: 2 }, START + 100);
      await store.addCounts(counter, { df: 1 });
      expect(
        (await store.listPartition(key.partition)).map((item) => [item.key.sort, item.value, item.version]),
      ).toEqual([
        ['!df', { df: 3 }, 0],
        ['s1', { at: 1 }, 1],
      ]);
      await store.delete(entry, 'any');
      expect((await store.getMany([counter])).get(itemKeyId(counter))?.value).toEqual({ df: 3 });
    },
  );

  it('lists one partition in sort order, and only that partition, across result pages', async () => {
    const partition = freshKey().partition;
    const other = freshKey().partition;
    const sorts = Array.from({ length: 260 }, (_, i) => `2026-01-01#${String(259 - i).padStart(4, '0')}`);
    // About 1.5 MB in all: DynamoDB answers a query in pages of at most 1 MB.
    await Promise.all(
      sorts.map((sort) =>
        store.put({
          key: { partition, sort },
          // Random, so that gzip cannot shrink the items below a page.
          value: { sort, filler: randomBytes(4_500).toString('base64') },
          expectedVersion: null,
        }),
      ),
    );
    await store.put({ key: { partition: other, sort: 'x' }, value: 'other', expectedVersion: null });
    const listed = await store.listPartition(partition);
    expect(listed.map((item) => item.key.sort)).toEqual([...sorts].sort());
    expect(listed.every((item) => item.key.partition === partition && item.version === 1)).toBe(true);
    expect(await store.listPartition(freshKey().partition)).toEqual([]);
  });

  it('keeps the unversioned entries of posting and band partitions: written, listed, read, expired, removed', async () => {
    counter += 1;
    const postings = `term#t${counter}`;
    const bucket = `band#${counter}`;
    const entry = (partition: string, sort: string): ItemKey => ({ partition, sort });
    // Concurrent writers of one partition's entries never collide.
    await Promise.all(
      ['s3', 's1', 's2'].map((sort, i) =>
        store.put({
          key: entry(postings, sort),
          value: { at: i },
          expectedVersion: 'any',
          expiresAt: clock + 100,
        }),
      ),
    );
    await store.put({
      key: entry(postings, 'old'),
      value: { at: 9 },
      expectedVersion: 'any',
      expiresAt: clock + 5,
    });
    await store.put({
      key: entry(bucket, 'a1'),
      value: { at: 1 },
      expectedVersion: 'any',
      expiresAt: clock + 100,
    });
    await store.put({
      key: entry(postings, 's2'),
      value: { at: 7 },
      expectedVersion: 'any',
      expiresAt: clock + 100,
    });
    await store.delete(entry(postings, 's3'), 'any');
    // Removing an entry that is not there, from a partition that has none, is no error.
    await store.delete(entry(postings, 'never'), 'any');
    await store.delete(entry(`band#${counter}-empty`, 'never'), 'any');
    clock += 5;
    try {
      const listed = await store.listPartition(postings);
      expect(listed.map((item) => [item.key.sort, item.value, item.version])).toEqual([
        ['s1', { at: 1 }, 1],
        ['s2', { at: 7 }, 1],
      ]);
      expect(listed[0]?.expiresAt).toBe(START + 100);
      const many = store.listPartitions
        ? await store.listPartitions([postings, bucket, `band#${counter}-empty`])
        : new Map(
            await Promise.all(
              [postings, bucket, `band#${counter}-empty`].map(
                async (p) => [p, await store.listPartition(p)] as const,
              ),
            ),
          );
      expect([...many.entries()].map(([p, items]) => [p, items.map((item) => item.key.sort)])).toEqual([
        [postings, ['s1', 's2']],
        [bucket, ['a1']],
        [`band#${counter}-empty`, []],
      ]);
      const found = await store.getMany([entry(postings, 's2'), entry(postings, 'old'), entry(bucket, 'a1')]);
      expect([...found.values()].map((item) => `${item.key.partition}/${item.key.sort}`).sort()).toEqual(
        [`${bucket}/a1`, `${postings}/s2`].sort(),
      );
    } finally {
      clock = START;
    }
  });

  it('keeps values of any size, a long article text of over a megabyte included', async () => {
    const key = freshKey();
    // Random text barely compresses, so it cannot fit in a 400 KB DynamoDB item even gzipped.
    const text = randomBytes(900_000).toString('base64');
    await store.put({ key, value: { text }, expectedVersion: null });
    await store.put({ key, value: { text: `${text}!` }, expectedVersion: 1 });
    const item = (await store.getMany([key])).get(itemKeyId(key));
    expect(item?.value).toEqual({ text: `${text}!` });
    expect(item?.version).toBe(2);
    const mid = { partition: key.partition, sort: 'mid' };
    const medium = 'Talks between the delegations resumed on the border. '.repeat(400);
    await store.put({ key: mid, value: medium, expectedVersion: null });
    expect((await store.getMany([mid])).get(itemKeyId(mid))?.value).toBe(medium);
  });

  it('reads the same live items when a read may be eventually consistent', async () => {
    const key = freshKey();
    const entry = { partition: key.partition, sort: 'entry' };
    const expired = { partition: key.partition, sort: 'expired' };
    await store.put({ key, value: 'story', expectedVersion: null });
    await store.put({ key: entry, value: { at: 1 }, expectedVersion: 'any' });
    await store.put({ key: expired, value: { at: 2 }, expectedVersion: 'any', expiresAt: clock - 1 });
    const eventual = { consistent: false };
    expect(await store.getMany([key, entry, expired], eventual)).toEqual(await store.getMany([key, entry]));
    expect(await store.listPartition(key.partition, eventual)).toEqual(
      await store.listPartition(key.partition),
    );
    expect((await store.listPartition(key.partition, eventual)).map((item) => item.key.sort)).toEqual([
      '',
      'entry',
    ]);
  });

  it('keeps keys as given: empty sort key, Unicode, separators', async () => {
    const keys: ItemKey[] = [
      { partition: 'record#2026-03-01', sort: '' },
      { partition: 'record#2026-03-01', sort: 'wire/Kyiv — 2 März.txt' },
      { partition: 'story#łódź', sort: '#' },
    ];
    for (const key of keys) await store.put({ key, value: key.sort, expectedVersion: null });
    const found = await store.getMany(keys);
    for (const key of keys) expect(found.get(itemKeyId(key))?.key).toEqual(key);
  });

  it('adds to counters commutatively: concurrent writers all count, and none of them ever conflicts', async () => {
    const key = freshKey();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.addCounts(key, { docs: 1, articles: i % 2 === 0 ? 2 : 0 })),
    );
    await store.addCounts(key, { docs: -3, 'term łódź': 1.5 }, START + 500);
    const item = (await store.getMany([key])).get(itemKeyId(key));
    expect(item).toEqual({
      key,
      value: { docs: 17, articles: 20, 'term łódź': 1.5 },
      version: 0,
      expiresAt: START + 500,
    });
    expect((await store.listPartition(key.partition)).map((i) => i.value)).toEqual([item?.value]);
  });

  it('keeps counter items and versioned items apart', async () => {
    const counter = freshKey();
    const versioned = freshKey();
    await store.addCounts(counter, { n: 1 });
    await store.put({ key: versioned, value: { n: 1 }, expectedVersion: null });
    await expect(store.put({ key: counter, value: 'x', expectedVersion: null })).rejects.toBeInstanceOf(
      ConcurrentWriteError,
    );
    await expect(store.put({ key: counter, value: 'x', expectedVersion: 0 })).rejects.toThrow(RangeError);
    await expect(store.addCounts(versioned, { n: 1 })).rejects.toThrow(/not a counter item/);
    const found = await store.getMany([counter, versioned]);
    expect(found.get(itemKeyId(counter))?.value).toEqual({ n: 1 });
    expect(found.get(itemKeyId(versioned))).toMatchObject({ value: { n: 1 }, version: 1 });
    await expect(store.addCounts(counter, { '': 1 })).rejects.toThrow(RangeError);
    await expect(store.addCounts(counter, { n: Number.NaN })).rejects.toThrow(RangeError);
  });

  it('refuses a value that is not JSON, and writes nothing', async () => {
    const key = freshKey();
    await expect(store.put({ key, value: undefined, expectedVersion: null })).rejects.toThrow(/JSON/);
    expect((await store.getMany([key])).size).toBe(0);
  });
});

describe('DynamoItemStore entry sets', () => {
  it('refuses a versioned write of a posting or band entry (they are kept without versions), and writes nothing', async () => {
    const aws = await useLocalAws();
    const { table, client } = await useItemTable();
    const store = new DynamoItemStore({
      table,
      client,
      largeValues: { bucket: aws.bucket, client: aws.s3 },
      now,
    });
    const key = { partition: 'term#harbour', sort: 's1' };
    await expect(store.put({ key, value: { at: 1 }, expectedVersion: null })).rejects.toThrow(
      /entry of an entry-set partition: write and delete it with expectedVersion 'any'/,
    );
    await expect(store.delete(key, 3)).rejects.toBeInstanceOf(RangeError);
    expect(await store.listPartition('term#harbour')).toEqual([]);
  });
});

describe('SqliteItemStore sweep, bulk load and sharing', () => {
  it('deletes expired items only, and they stay gone', async () => {
    const store = new SqliteItemStore(join(folder, 'sweep.sqlite'), { now });
    const live = { partition: 'p', sort: 'live' };
    const forever = { partition: 'p', sort: 'forever' };
    const expired = { partition: 'p', sort: 'expired' };
    await store.put({ key: live, value: 1, expectedVersion: null, expiresAt: START + 60 });
    await store.put({ key: forever, value: 2, expectedVersion: null });
    await store.put({ key: expired, value: 3, expectedVersion: null, expiresAt: START - 1 });
    expect(store.sweepExpired()).toBe(1);
    expect(store.sweepExpired()).toBe(0);
    expect((await store.listPartition('p')).map((i) => i.key.sort)).toEqual(['forever', 'live']);
    store.close();
  });

  it('reads many keys in the order asked, live ones only, a key with a lone surrogate as well', async () => {
    const store = new SqliteItemStore(join(folder, 'many.sqlite'), { now });
    const keys = Array.from({ length: 1200 }, (_, i) => ({
      partition: `term#${i % 7}`,
      sort: `s${1199 - i}`,
    }));
    await store.insertAll(keys.map((key, i) => ({ key, value: { i }, counter: false, expiresAt: null })));
    const odd = { partition: 'term#\ud800', sort: 'x\udc00' };
    const expired = { partition: 'term#0', sort: 'gone' };
    await store.put({ key: odd, value: 'odd', expectedVersion: null });
    await store.put({ key: expired, value: 'gone', expectedVersion: null, expiresAt: START - 1 });
    const asked = [...keys].reverse();
    asked.splice(600, 0, odd, expired, { partition: 'term#1', sort: 'missing' }, keys[1199] as ItemKey);
    const found = await store.getMany(asked);
    expect([...found.keys()]).toEqual([...keys].reverse().toSpliced(600, 0, odd).map(itemKeyId));
    expect(found.get(itemKeyId(odd))?.value).toBe('odd');
    expect(found.get(itemKeyId(keys[1199] as ItemKey))?.value).toEqual({ i: 1199 });
    store.close();
  });

  it('bulk-loads items as put and addCounts would store them, or nothing when a key is taken', async () => {
    const loaded = new SqliteItemStore(join(folder, 'loaded.sqlite'), { now });
    const written = new SqliteItemStore(join(folder, 'written.sqlite'), { now });
    const story = { partition: 'story#s1', sort: '' };
    const entry = { partition: 'band#7', sort: 'a1' };
    const counters = { partition: 'df#term', sort: '' };
    await loaded.insertAll([
      { key: story, value: { title: 'x' }, counter: false, expiresAt: null },
      { key: entry, value: { at: 3 }, counter: false, expiresAt: START + 60 },
      { key: counters, value: { df: 2, docs: 5 }, counter: true, expiresAt: START + 60 },
    ]);
    await written.put({ key: story, value: { title: 'x' }, expectedVersion: null });
    await written.put({ key: entry, value: { at: 3 }, expectedVersion: 'any', expiresAt: START + 60 });
    await written.addCounts(counters, { df: 2, docs: 5 }, START + 60);
    expect(await loaded.allItems()).toEqual(await written.allItems());

    const other = { partition: 'story#s2', sort: '' };
    await expect(
      loaded.insertAll([
        { key: other, value: 1, counter: false, expiresAt: null },
        { key: story, value: { title: 'y' }, counter: false, expiresAt: null },
      ]),
    ).rejects.toBeInstanceOf(ConcurrentWriteError);
    expect((await loaded.getMany([other])).size).toBe(0);
    expect((await loaded.getMany([story])).get(itemKeyId(story))?.value).toEqual({ title: 'x' });
    loaded.close();
    written.close();
  });

  it('moves a store of the WITHOUT ROWID layout to the rowid layout once, keeping every item', async () => {
    const path = join(folder, 'old-layout.sqlite');
    const old = new DatabaseSync(path);
    old.exec(`CREATE TABLE items (partition TEXT NOT NULL, sort TEXT NOT NULL, version INTEGER NOT NULL,
      expires_at INTEGER, value TEXT NOT NULL, PRIMARY KEY (partition, sort)) WITHOUT ROWID;
      INSERT INTO items VALUES ('story#s1', '', 3, NULL, '{"title":"x"}'), ('band#7', 'a1', 1, ${START + 60}, '{"at":3}'),
      ('df#term', '', 0, NULL, '{"df":2}');`);
    old.close();
    const store = new SqliteItemStore(path, { now });
    const layout = () => {
      const db = new DatabaseSync(path, { readOnly: true });
      const { sql } = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'items'").get() as {
        sql: string;
      };
      db.close();
      return sql;
    };
    expect(layout()).not.toMatch(/WITHOUT ROWID/i);
    expect(await store.allItems()).toEqual([
      { key: { partition: 'band#7', sort: 'a1' }, value: { at: 3 }, version: 1, expiresAt: START + 60 },
      { key: { partition: 'df#term', sort: '' }, value: { df: 2 }, version: 0, expiresAt: null },
      { key: { partition: 'story#s1', sort: '' }, value: { title: 'x' }, version: 3, expiresAt: null },
    ]);
    await store.put({ key: { partition: 'story#s1', sort: '' }, value: { title: 'y' }, expectedVersion: 3 });
    store.close();
    const again = new SqliteItemStore(path, { now });
    expect((await again.listPartition('story#s1'))[0]?.version).toBe(4);
    again.close();
  });

  it('is shared safely by two connections to one file: a stale writer on either loses', async () => {
    const path = join(folder, 'shared.sqlite');
    const first = new SqliteItemStore(path, { now });
    const second = new SqliteItemStore(path, { now });
    const key = { partition: 'shared', sort: '' };
    await first.put({ key, value: 'a', expectedVersion: null });
    expect((await second.getMany([key])).get(itemKeyId(key))?.version).toBe(1);
    await second.put({ key, value: 'b', expectedVersion: 1 });
    await expect(first.put({ key, value: 'c', expectedVersion: 1 })).rejects.toBeInstanceOf(
      ConcurrentWriteError,
    );
    first.close();
    second.close();
  });
});
