/**
 * Name evidence at story level: how many members of each story give each name, and whether an
 * article or another story shares one. Templated copy about different events shares its wording but
 * not its names, so an article (or story) that gives enough names must share one to join (or merge).
 */
import { NAME_PART_MARK, nameParts } from './article-names.ts';
import type { ArticleState, StoryState } from './state.ts';
import { articleTerms } from './terms.ts';

/** An article naming at least this many names joins only a story that names one of them; fewer is too little evidence. */
export const MIN_NAMES_FOR_NAME_EVIDENCE = 5;

/** True when a list of names (parts aside) is long enough to judge by (MIN_NAMES_FOR_NAME_EVIDENCE). */
export function enoughNames(names: Iterable<string>): boolean {
  let n = 0;
  for (const name of names)
    if (!name.startsWith(NAME_PART_MARK) && ++n >= MIN_NAMES_FOR_NAME_EVIDENCE) return true;
  return false;
}

export class StoryNames {
  /** Story id -> name -> members giving it; derived from the members' stored names, so never stored. */
  private readonly counts = new Map<string, Map<string, number>>();
  /** Each article version's names with their parts, by its stored names array. */
  private readonly withParts = new WeakMap<readonly string[], readonly string[]>();
  private readonly sets = new WeakMap<readonly string[], ReadonlySet<string>>();

  constructor(private readonly articleById: (id: string) => ArticleState | undefined) {}

  /** Records parts worked out elsewhere (signals.ts) for an article's names. */
  rememberParts(names: readonly string[], parts: readonly string[]): void {
    this.withParts.set(names, [...names, ...parts]);
  }

  /** An article version's names (read once and kept in its state) with the parts of its multi-word names. */
  namesOf(a: ArticleState): readonly string[] {
    if (a.names === undefined) a.names = articleTerms(a.title, a.text, a.description).names;
    let all = this.withParts.get(a.names);
    if (all === undefined) {
      all = [...a.names, ...nameParts(a.names)];
      this.withParts.set(a.names, all);
    }
    return all;
  }

  /** Each name's count of members giving it, built from the members when not yet known. */
  private countsOf(story: StoryState): Map<string, number> {
    let counts = this.counts.get(story.id);
    if (counts === undefined) {
      counts = new Map();
      for (const id of story.members) {
        const member = this.articleById(id);
        if (member) for (const name of this.namesOf(member)) counts.set(name, (counts.get(name) ?? 0) + 1);
      }
      this.counts.set(story.id, counts);
    }
    return counts;
  }

  /** Adds (delta 1) or removes (delta -1) a member's names from a story's counts, when they are built. */
  count(storyId: string, names: readonly string[], delta: number): void {
    const counts = this.counts.get(storyId);
    if (counts === undefined) return;
    for (const name of names) {
      const n = (counts.get(name) ?? 0) + delta;
      if (n > 0) counts.set(name, n);
      else counts.delete(name);
    }
  }

  /**
   * True when the story names one of `names`: the same name, or a name on one side that is part of a
   * longer name on the other (two parts alone are no match). With `own`, the names are a member's own
   * and only the rest of the story counts.
   */
  shares(names: readonly string[], story: StoryState, own: boolean): boolean {
    const counts = this.countsOf(story);
    const mine = own ? this.setOf(names) : null;
    const given = (name: string): boolean => (counts.get(name) ?? 0) > (mine?.has(name) ? 1 : 0);
    for (const name of names) {
      if (name.startsWith(NAME_PART_MARK)) {
        if (given(name.slice(NAME_PART_MARK.length))) return true;
      } else if (given(name) || given(NAME_PART_MARK + name)) return true;
    }
    return false;
  }

  /** A member's names as a set, made once per article version: young stories re-check their members often. */
  private setOf(names: readonly string[]): ReadonlySet<string> {
    let set = this.sets.get(names);
    if (set === undefined) {
      set = new Set(names);
      this.sets.set(names, set);
    }
    return set;
  }

  /** False when both stories give enough names to judge by and share none: two events of one template. */
  allowMerge(a: StoryState, b: StoryState): boolean {
    const x = this.countsOf(a);
    const y = this.countsOf(b);
    // The smaller side's names are looked up in the larger's: a grown story may give thousands.
    const [small, large, largeStory] = x.size <= y.size ? [x, y, b] : [y, x, a];
    if (!enoughNames(small.keys()) || !enoughNames(large.keys())) return true;
    return this.shares([...small.keys()], largeStory, false);
  }

  /** Adds `from`'s counts to `into`'s when both are built; otherwise `into`'s are rebuilt when next asked. */
  merge(into: string, from: string): void {
    const fromNames = this.counts.get(from);
    const intoNames = this.counts.get(into);
    if (fromNames && intoNames)
      fromNames.forEach((n, name) => {
        intoNames.set(name, (intoNames.get(name) ?? 0) + n);
      });
    else this.counts.delete(into);
  }

  /** A story's name counts (built from its members when not yet known), for storing with the story. */
  entriesOf(story: StoryState): [string, number][] {
    return [...this.countsOf(story).entries()];
  }

  restore(storyId: string, entries: readonly (readonly [string, number])[]): void {
    this.counts.set(storyId, new Map(entries));
  }

  forget(storyId: string): void {
    this.counts.delete(storyId);
  }
}
