/**
 * Where a local run keeps its state below out/: the item store (`state/items.sqlite`), the line offsets
 * of `articles.jsonl`, a marker that says a run is under way (present at the start of the next run: that
 * run stopped between its item writes and its outputs), and the old whole-state file it replaces.
 */
import { existsSync, rmSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './fs-store.ts';
import { RecordsFile } from './records-file.ts';
import { SqliteItemStore } from './sqlite-item-store.ts';

export const ITEM_STORE_FILE = join('state', 'items.sqlite');
const OFFSETS_FILE = join('state', 'articles.offsets');
const RUN_MARKER_FILE = join('state', 'run-in-progress');
const WHOLE_STATE_FILE = join('state', 'newsroom.json');
const RETIRED_WHOLE_STATE_FILE = join('state', 'newsroom.json.migrated');
/** The whole-state path's digest revisions; the item store counts its own from 1. */
const WHOLE_STATE_REVISIONS_FILE = join('state', 'derived-revisions.json');

export class LocalItemState {
  readonly items: SqliteItemStore;
  readonly records: RecordsFile;

  constructor(private readonly root: string) {
    this.items = new SqliteItemStore(join(root, ITEM_STORE_FILE));
    this.records = new RecordsFile(join(root, 'articles.jsonl'), join(root, OFFSETS_FILE));
  }

  /** True when an earlier run stopped before its outputs were written. */
  wasInterrupted(): boolean {
    return existsSync(join(this.root, RUN_MARKER_FILE));
  }

  async markRunStarted(): Promise<void> {
    await writeFileAtomic(join(this.root, RUN_MARKER_FILE), `${new Date().toISOString()}\n`);
  }

  markRunFinished(): void {
    rmSync(join(this.root, RUN_MARKER_FILE), { force: true });
  }

  /** True when out/ still holds the whole-state file of an earlier version. */
  hasWholeState(): boolean {
    return existsSync(join(this.root, WHOLE_STATE_FILE));
  }

  /** The old digest revisions would outrank the item store's new counters: they go before migrating. */
  forgetWholeStateRevisions(): void {
    rmSync(join(this.root, WHOLE_STATE_REVISIONS_FILE), { force: true });
  }

  /** Renames the migrated whole-state file aside and returns its new path. */
  async retireWholeState(): Promise<string> {
    const to = join(this.root, RETIRED_WHOLE_STATE_FILE);
    await rename(join(this.root, WHOLE_STATE_FILE), to);
    return to;
  }

  close(): void {
    this.items.close();
  }
}
