import { describe, expect, it } from 'vitest';
import { SqliteItemStore } from '../../../functions/adapters/sqlite-item-store.ts';
import { readInRounds, writeChanges } from '../../../functions/app/item-batch.ts';
import { ConcurrentWriteError } from '../../../functions/core/errors.ts';
import { type ItemKey, type ItemStore, itemKeyId } from '../../../functions/ports.ts';

const k = (partition: string): ItemKey => ({ partition, sort: '' });

/** The real sqlite store, noting the order of the writes it is asked for. */
function recording(): { store: ItemStore; writes: string[] } {
  const inner = new SqliteItemStore(':memory:');
  const writes: string[] = [];
  const store: ItemStore = {
    getMany: (keys) => inner.getMany(keys),
    listPartition: (p) => inner.listPartition(p),
    put: async (write) => {
      writes.push(`put ${write.key.partition}`);
      return inner.put(write);
    },
    delete: async (key, version) => {
      writes.push(`delete ${key.partition}`);
      return inner.delete(key, version);
    },
    addCounts: async (key, deltas, expiresAt) => {
      writes.push(`count ${key.partition}`);
      return inner.addCounts(key, deltas, expiresAt);
    },
  };
  return { store, writes };
}

describe('readInRounds', () => {
  it('follows the plan round by round and never asks for a key twice', async () => {
    const { store } = recording();
    await store.put({ key: k('term#kyiv'), value: ['story#1', 'story#2'], expectedVersion: null });
    await store.put({ key: k('story#1'), value: { members: ['article#1'] }, expectedVersion: null });
    const asked: string[][] = [];
    const spy: ItemStore = {
      ...store,
      getMany: (keys) => {
        asked.push(keys.map((x) => x.partition));
        return store.getMany(keys);
      },
    };
    const { items, stats } = await readInRounds(spy, [k('term#kyiv'), k('article#new')], (read) => {
      const postings = (read.get(itemKeyId(k('term#kyiv')))?.value ?? []) as string[];
      return [...postings.map(k), k('term#kyiv')];
    });
    expect(asked).toEqual([
      ['term#kyiv', 'article#new'],
      ['story#1', 'story#2'],
    ]);
    expect([...items.values()].map((i) => i.key.partition).sort()).toEqual(['story#1', 'term#kyiv']);
    expect(stats).toEqual({ rounds: 2, keysRequested: 4 });
  });

  it('stops a plan that never converges', async () => {
    const { store } = recording();
    let n = 0;
    await expect(readInRounds(store, [k('a')], () => [k(`x${n++}`)])).rejects.toThrow(/does not converge/);
  });
});

describe('writeChanges', () => {
  it('writes group by group, then deletes, then counters', async () => {
    const { store, writes } = recording();
    await store.put({ key: k('band#7'), value: 1, expectedVersion: null });
    writes.length = 0;
    const group = ({ key }: { key: ItemKey }) => (key.partition.startsWith('article#') ? 2 : 1);
    await writeChanges(
      store,
      {
        puts: [
          { key: k('article#1'), value: {}, expectedVersion: null },
          { key: k('story#1'), value: {}, expectedVersion: null },
        ],
        deletes: [{ key: k('band#7'), expectedVersion: 1 }],
        counts: [{ key: k('corpus'), deltas: { docs: 1 } }],
      },
      group,
    );
    expect(writes).toEqual(['put story#1', 'put article#1', 'delete band#7', 'count corpus']);
  });

  it('stops at a lost condition: the later groups (the commit markers) are not written', async () => {
    const { store, writes } = recording();
    await store.put({ key: k('story#1'), value: 'theirs', expectedVersion: null });
    writes.length = 0;
    const attempt = writeChanges(
      store,
      {
        puts: [
          { key: k('story#1'), value: 'mine', expectedVersion: null },
          { key: k('article#1'), value: {}, expectedVersion: null },
        ],
        deletes: [],
        counts: [{ key: k('corpus'), deltas: { docs: 1 } }],
      },
      ({ key }) => (key.partition.startsWith('article#') ? 2 : 1),
    );
    await expect(attempt).rejects.toBeInstanceOf(ConcurrentWriteError);
    expect(writes).toEqual(['put story#1']);
    expect((await store.getMany([k('article#1'), k('corpus')])).size).toBe(0);
  });
});
