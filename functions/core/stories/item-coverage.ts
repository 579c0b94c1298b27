/**
 * Which items a batch's working set was read with. An engine built from some items must not act on
 * one it never read (it would take "not read" for "does not exist"), so each lookup that finds nothing
 * asks the coverage, which throws MissingItems for an item never read: the batch is then run again
 * with that item read too. Items read and found absent, and items the run itself created, are covered.
 */
import { type EngineItemKey, engineItemId } from './item-keys.ts';

export class MissingItems extends Error {
  override name = 'MissingItems';
  constructor(readonly keys: readonly EngineItemKey[]) {
    super(
      `The working set lacks ${keys.map((k) => k.partition).join(', ')}: read it and run the batch again.`,
    );
  }
}

export class ItemCoverage {
  private readonly created = new Set<string>();
  private readonly missing = new Map<string, EngineItemKey>();

  /**
   * With `collect`, an item never read is noted and taken as absent instead of thrown: the run goes on
   * and names every item it lacked at once (missingKeys), and its result must then be thrown away.
   */
  constructor(
    private readonly read: ReadonlySet<string>,
    private readonly collect = false,
  ) {}

  /** Throws MissingItems (or notes the item, when collecting) unless it was read or created by this run. */
  require(key: EngineItemKey): void {
    const id = engineItemId(key);
    if (this.read.has(id) || this.created.has(id)) return;
    if (!this.collect) throw new MissingItems([key]);
    this.missing.set(id, key);
  }

  /** The items a collecting run lacked (empty: its result stands). */
  missingKeys(): EngineItemKey[] {
    return [...this.missing.values()];
  }

  /** True when the item was read (found or not) or created by this run. */
  wasRead(key: EngineItemKey): boolean {
    const id = engineItemId(key);
    return this.read.has(id) || this.created.has(id);
  }

  /** The run made this item: it needs no read. */
  create(key: EngineItemKey): void {
    this.created.add(engineItemId(key));
  }
}

/** A Map whose lookups that find nothing check the coverage of the item their key names. */
export class CoveredMap<K, V> extends Map<K, V> {
  constructor(
    private readonly coverage: ItemCoverage,
    private readonly itemOf: (key: K) => EngineItemKey,
  ) {
    super();
  }

  override get(key: K): V | undefined {
    const value = super.get(key);
    if (value === undefined) this.coverage.require(this.itemOf(key));
    return value;
  }

  override has(key: K): boolean {
    if (super.has(key)) return true;
    this.coverage.require(this.itemOf(key));
    return false;
  }

  override set(key: K, value: V): this {
    // Map's constructor calls set before the fields exist.
    this.coverage?.create(this.itemOf(key));
    return super.set(key, value);
  }
}
