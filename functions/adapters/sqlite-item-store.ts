/**
 * The ItemStore port on an embedded SQLite file (node:sqlite, built into Node 24): the local run's
 * store, with the same item model, versions and expiry as the DynamoDB table and no server to start.
 * Each conditional write is one SQL statement, so it is atomic even with several processes on the file
 * (WAL mode, a busy timeout). SQLite has no TTL: `sweepExpired` deletes what has expired, and reads
 * skip expired items in between, as DynamoDB's do before TTL catches up. Values are stored inline
 * whatever their size (SQLite takes up to 1 GB), so no file is kept beside the database.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { ConcurrentWriteError } from '../core/errors.ts';
import {
  type ItemKey,
  type ItemPut,
  type ItemReadOptions,
  itemKeyId,
  type NewItem,
  type StoredItem,
  type WholeItemStore,
} from '../ports.ts';
import { aCounter, checkExpectedVersion, checkedCounts, notACounter } from './item-counters.ts';

/** SQLite's extended result code for a primary key already taken. */
const SQLITE_CONSTRAINT_PRIMARYKEY = 1555;
/** Keys per lookup statement in getMany: one statement over a JSON list of keys instead of one a key. */
const KEYS_PER_LOOKUP = 500;
const LONE_SURROGATE = /\p{Cs}/u;
/** How long a writer waits for another process's write lock before failing. */
const BUSY_TIMEOUT_MS = 10_000;

interface Row {
  partition: string;
  sort: string;
  version: number;
  expires_at: number | null;
  value: string;
}

export interface SqliteItemStoreOptions {
  /** Seconds since the epoch, for expiry; the system clock when absent. */
  readonly now?: () => number;
}

export class SqliteItemStore implements WholeItemStore {
  private readonly db: DatabaseSync;
  private readonly now: () => number;
  private readonly select: StatementSync;
  private readonly selectKeys: StatementSync;
  private readonly insertNew: StatementSync;
  private readonly update: StatementSync;
  private readonly overwrite: StatementSync;
  private readonly remove: StatementSync;
  private readonly removeAny: StatementSync;
  private readonly selectPartition: StatementSync;
  private readonly sweep: StatementSync;
  private readonly selectAny: StatementSync;
  private readonly upsertCounters: StatementSync;
  private readonly selectAll: StatementSync;
  private readonly insertLoaded: StatementSync;

  /** `path` is a file (created with its folder when missing), or ':memory:'. */
  constructor(path: string, options: SqliteItemStoreOptions = {}) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new DatabaseSync(path, { timeout: BUSY_TIMEOUT_MS });
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
    this.db.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = NORMAL;
      ${itemsTable('items')}
      CREATE INDEX IF NOT EXISTS items_by_expiry ON items (expires_at) WHERE expires_at IS NOT NULL;
    `);
    this.moveToRowidLayout();
    const live = '(expires_at IS NULL OR expires_at > :now)';
    // The reads a batch makes by the ten thousand take numbered parameters (partition, sort, now) too.
    this.select = this.db.prepare(
      `SELECT partition, sort, version, expires_at, value FROM items WHERE partition = ?1 AND sort = ?2 AND (expires_at IS NULL OR expires_at > ?3)`,
    );
    // The keys as a JSON list of [partition, sort] pairs, each looked up through the primary key.
    this.selectKeys = this.db.prepare(
      `SELECT partition, sort, version, expires_at, value FROM items
       WHERE (partition, sort) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?1)) AND (expires_at IS NULL OR expires_at > ?2)`,
    );
    // A new item may take the place of an expired one that the sweep has not removed yet.
    // Numbered parameters (partition, sort, expiry, value, now, expected version): binding by name costs
    // about twice as much, and a bulk load runs these statements for every item.
    this.insertNew = this.db.prepare(
      `INSERT INTO items (partition, sort, version, expires_at, value) VALUES (?1, ?2, 1, ?3, ?4)
       ON CONFLICT (partition, sort) DO UPDATE SET version = 1, expires_at = excluded.expires_at, value = excluded.value
       WHERE items.expires_at IS NOT NULL AND items.expires_at <= ?5`,
    );
    this.update = this.db.prepare(
      `UPDATE items SET version = ?6 + 1, expires_at = ?3, value = ?4
       WHERE partition = ?1 AND sort = ?2 AND version = ?6 AND (expires_at IS NULL OR expires_at > ?5)`,
    );
    // An unversioned write never replaces a counter item (version 0), as a versioned one never does.
    this.overwrite = this.db.prepare(
      `INSERT INTO items (partition, sort, version, expires_at, value) VALUES (:partition, :sort, 1, :expires_at, :value)
       ON CONFLICT (partition, sort) DO UPDATE SET version = 1, expires_at = excluded.expires_at, value = excluded.value
       WHERE items.version <> 0`,
    );
    this.remove = this.db.prepare(
      'DELETE FROM items WHERE partition = :partition AND sort = :sort AND version = :expected',
    );
    this.removeAny = this.db.prepare('DELETE FROM items WHERE partition = :partition AND sort = :sort');
    this.selectPartition = this.db.prepare(
      `SELECT partition, sort, version, expires_at, value FROM items WHERE partition = ?1 AND (expires_at IS NULL OR expires_at > ?2) ORDER BY sort`,
    );
    this.selectAny = this.db.prepare(
      'SELECT version, expires_at, value FROM items WHERE partition = :partition AND sort = :sort',
    );
    this.upsertCounters = this.db.prepare(
      `INSERT INTO items (partition, sort, version, expires_at, value) VALUES (:partition, :sort, 0, :expires_at, :value)
       ON CONFLICT (partition, sort) DO UPDATE SET expires_at = excluded.expires_at, value = excluded.value`,
    );
    this.selectAll = this.db.prepare(
      `SELECT partition, sort, version, expires_at, value FROM items WHERE ${live} ORDER BY partition, sort`,
    );
    // No condition to check in a bulk load: a key already stored fails the primary key instead.
    this.insertLoaded = this.db.prepare(
      'INSERT INTO items (partition, sort, version, expires_at, value) VALUES (?1, ?2, ?3, ?4, ?5)',
    );
    this.sweep = this.db.prepare('DELETE FROM items WHERE expires_at IS NOT NULL AND expires_at <= :now');
  }

  /**
   * Moves a store created as a WITHOUT ROWID table (by earlier versions) to the rowid layout, once: there
   * an item too big for its B-tree cell (a story, an article) that became a divider key was read whole
   * again by every lookup passing it, since such a table's interior cells hold whole rows.
   */
  private moveToRowidLayout(): void {
    const layout = () =>
      (
        this.db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'items'").get() as {
          sql: string;
        }
      ).sql;
    if (!/WITHOUT\s+ROWID/i.test(layout())) return;
    this.db.exec('BEGIN IMMEDIATE');
    let moved = false;
    try {
      // Another process may have moved it while this one waited for the write lock.
      if (/WITHOUT\s+ROWID/i.test(layout())) {
        this.db.exec(`
          ${itemsTable('items_by_rowid')}
          INSERT INTO items_by_rowid SELECT partition, sort, version, expires_at, value FROM items ORDER BY partition, sort;
          DROP TABLE items;
          ALTER TABLE items_by_rowid RENAME TO items;
          CREATE INDEX items_by_expiry ON items (expires_at) WHERE expires_at IS NOT NULL;
        `);
        moved = true;
      }
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
    if (!moved) return;
    try {
      // The old table's pages would otherwise stay in the file, free, doubling its size.
      this.db.exec('VACUUM');
    } catch {
      // Another connection is reading: the pages stay free in the file and later writes reuse them.
    }
  }

  /** Every read sees every committed write: an eventually consistent read (`_options`) is the same read. */
  async getMany(keys: readonly ItemKey[], _options?: ItemReadOptions): Promise<Map<string, StoredItem>> {
    const now = this.now();
    const rows = new Map<string, Row>();
    for (let start = 0; start < keys.length; start += KEYS_PER_LOOKUP)
      this.lookUp(keys.slice(start, start + KEYS_PER_LOOKUP), now, rows);
    // In the order asked, as one lookup a key gave them: a working set is restored in this order.
    const found = new Map<string, StoredItem>();
    for (const key of keys) {
      const id = itemKeyId(key);
      const row = rows.get(id);
      if (row !== undefined && !found.has(id)) found.set(id, toItem(row));
    }
    return found;
  }

  /** Adds the live rows of `keys` to `rows`, by the id of the key asked. */
  private lookUp(keys: readonly ItemKey[], now: number, rows: Map<string, Row>): void {
    // A lone surrogate has no UTF-8 form (SQLite stores U+FFFD), so the row would not name the key asked.
    if (keys.some((k) => LONE_SURROGATE.test(k.partition) || LONE_SURROGATE.test(k.sort))) {
      for (const key of keys) {
        const row = this.select.get(key.partition, key.sort, now) as Row | undefined;
        if (row !== undefined) rows.set(itemKeyId(key), row);
      }
      return;
    }
    const list = JSON.stringify(keys.map((k) => [k.partition, k.sort]));
    for (const row of this.selectKeys.all(list, now) as unknown as Row[]) rows.set(itemKeyId(row), row);
  }

  async put(write: ItemPut): Promise<number> {
    checkExpectedVersion(write.expectedVersion);
    const value = JSON.stringify(write.value);
    if (value === undefined) throw new TypeError('An item value must be JSON (not undefined or a function).');
    const { partition, sort } = write.key;
    const expiresAt = write.expiresAt ?? null;
    if (write.expectedVersion === 'any') {
      const { changes } = this.overwrite.run({ partition, sort, expires_at: expiresAt, value });
      if (Number(changes) !== 1) throw aCounter(write.key);
      return 1;
    }
    const changes =
      write.expectedVersion === null
        ? this.insertNew.run(partition, sort, expiresAt, value, this.now()).changes
        : this.update.run(partition, sort, expiresAt, value, this.now(), write.expectedVersion).changes;
    if (Number(changes) !== 1) throw conflict(write.key, write.expectedVersion);
    return (write.expectedVersion ?? 0) + 1;
  }

  async delete(key: ItemKey, expectedVersion: number | 'any'): Promise<void> {
    if (expectedVersion === 'any') {
      this.removeAny.run({ partition: key.partition, sort: key.sort });
      return;
    }
    const { changes } = this.remove.run({
      partition: key.partition,
      sort: key.sort,
      expected: expectedVersion,
    });
    if (Number(changes) !== 1) throw conflict(key, expectedVersion);
  }

  async listPartition(partition: string, _options?: ItemReadOptions): Promise<StoredItem[]> {
    const rows = this.selectPartition.all(partition, this.now()) as unknown as Row[];
    return rows.map(toItem);
  }

  async addCounts(
    key: ItemKey,
    deltas: Readonly<Record<string, number>>,
    expiresAt?: number | null,
  ): Promise<void> {
    const entries = checkedCounts(deltas);
    // One write transaction, so two connections adding at once both count (a savepoint inside inTransaction).
    const nested = this.db.isTransaction;
    this.db.exec(nested ? 'SAVEPOINT counts' : 'BEGIN IMMEDIATE');
    try {
      const row = this.selectAny.get({ partition: key.partition, sort: key.sort }) as
        | Pick<Row, 'version' | 'expires_at' | 'value'>
        | undefined;
      if (row !== undefined && Number(row.version) !== 0) {
        throw notACounter(key);
      }
      const counters = (row === undefined ? {} : JSON.parse(row.value)) as Record<string, number>;
      for (const [name, delta] of entries) counters[name] = (counters[name] ?? 0) + delta;
      this.upsertCounters.run({
        partition: key.partition,
        sort: key.sort,
        expires_at: expiresAt === undefined ? (row?.expires_at ?? null) : expiresAt,
        value: JSON.stringify(counters),
      });
      this.db.exec(nested ? 'RELEASE counts' : 'COMMIT');
    } catch (error) {
      this.db.exec(nested ? 'ROLLBACK TO counts; RELEASE counts' : 'ROLLBACK');
      throw error;
    }
  }

  /**
   * Runs `work` (this store's own calls) in one write transaction: committed whole when it resolves,
   * rolled back when it throws. A bulk load of many items then costs one commit, not one per item.
   * Nothing else may use this store until it settles.
   */
  async inTransaction<T>(work: () => Promise<T>): Promise<T> {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = await work();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  async insertAll(items: Iterable<NewItem>): Promise<void> {
    await this.inTransaction(async () => {
      for (const item of items) {
        const { partition, sort } = item.key;
        if (item.counter) checkedCounts(item.value as Record<string, number>);
        const value = JSON.stringify(item.value);
        if (value === undefined)
          throw new TypeError('An item value must be JSON (not undefined or a function).');
        try {
          this.insertLoaded.run(partition, sort, item.counter ? 0 : 1, item.expiresAt, value);
        } catch (error) {
          if ((error as { errcode?: number }).errcode === SQLITE_CONSTRAINT_PRIMARYKEY)
            throw conflict(item.key, null);
          throw error;
        }
      }
    });
  }

  /** Every live item, in key order: the whole store, for a run that keeps it all in memory. */
  async allItems(): Promise<StoredItem[]> {
    return (this.selectAll.all({ now: this.now() }) as unknown as Row[]).map(toItem);
  }

  /** Deletes every expired item (the local stand-in for DynamoDB TTL); returns how many went. */
  sweepExpired(): number {
    return Number(this.sweep.run({ now: this.now() }).changes);
  }

  close(): void {
    this.db.close();
  }
}

/**
 * The items table: a rowid table whose primary key is an index of the keys alone, so a lookup walks
 * small key cells and reads one item's value, however big the values around it.
 */
function itemsTable(name: string): string {
  return `CREATE TABLE IF NOT EXISTS ${name} (
    partition TEXT NOT NULL,
    sort TEXT NOT NULL,
    version INTEGER NOT NULL,
    expires_at INTEGER,
    value TEXT NOT NULL,
    PRIMARY KEY (partition, sort)
  );`;
}

function toItem(row: Row): StoredItem {
  return {
    key: { partition: row.partition, sort: row.sort },
    value: JSON.parse(row.value),
    version: Number(row.version),
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
  };
}

function conflict(key: ItemKey, expected: number | null): ConcurrentWriteError {
  return new ConcurrentWriteError(
    `Item ${key.partition}/${key.sort} is no longer at ${expected === null ? 'absent' : `version ${expected}`}: another writer changed it first; read it again and reapply the change.`,
  );
}
