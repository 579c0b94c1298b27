/**
 * The domain vocabulary shared by every stage of the pipeline.
 *
 * Everything under functions/core/ is pure: no AWS SDK, no process.env, no I/O.
 * Adapters (functions/adapters/) and entry points (functions/handlers/, functions/cli.ts)
 * translate the outside world into these types and back.
 */

/** How a publication date was decided, in order of precedence (DESIGN.md §2). */
export type DateSource = 'metadata' | 'text' | 'story' | 'arrival';

/** A calendar day, `YYYY-MM-DD`. The digest is organised by these. */
export type Day = string;

/** Input formats the extractor understands. */
export type InputFormat = 'text' | 'markdown' | 'html' | 'json';

/** A file as it arrives: its key (path relative to the input root or S3 key below `incoming/`). */
export interface RawDocument {
  /** Stable identity of the input file: a relative path or an S3 key without the `incoming/` prefix. */
  readonly key: string;
  readonly bytes: Uint8Array;
  /** When the file arrived (S3 event time, --now, or the file's mtime). Dates in the text resolve against it. */
  readonly arrivedAt: Date;
  /**
   * Where the document was fetched from, when the uploader knows it (S3 object metadata, a crawler).
   * Used for the outlet and for URL date patterns (/2020/05/17/) when the page names no canonical URL.
   */
  readonly sourceUrl?: string;
}

/** A date found by the extractor, before story-level fallbacks are applied. */
export interface FoundDate {
  readonly day: Day;
  readonly source: 'metadata' | 'text';
}

/** The result of parsing and cleaning one input file. */
export interface ExtractedArticle {
  readonly format: InputFormat;
  /** The headline, or null when the file has none that can be trusted. */
  readonly title: string | null;
  /** The cleaned body: the article's own paragraphs, separated by a blank line, no page junk. */
  readonly text: string;
  readonly url: string | null;
  /** Human name of the outlet ("Reuters", "bbc.co.uk"), or null when unknown. */
  readonly outlet: string | null;
  readonly date: FoundDate | null;
  /** Short standfirst/description when the input had one (JSON `description`, meta description). */
  readonly description: string | null;
}

/** What happened to one input file. Every file ends in exactly one of these. */
export type IngestOutcome =
  | { readonly kind: 'story'; readonly articleId: string; readonly storyId: string; readonly day: Day }
  | {
      readonly kind: 'duplicate';
      readonly articleId: string;
      /** Source key of the first-seen article this one repeats. */
      readonly duplicateOf: string;
      readonly similarity: number;
      readonly day: Day;
    }
  | { readonly kind: 'rejected'; readonly articleId: string; readonly reason: string }
  | { readonly kind: 'unchanged'; readonly articleId: string };

/** One line of `articles.jsonl`: the record of an input file, as DESIGN.md §3 fixes it. */
export interface ArticleRecord {
  readonly source: string;
  readonly id: string;
  readonly title: string | null;
  readonly text: string;
  readonly publishedAt: Day | null;
  readonly dateSource: DateSource | null;
  readonly storyId: string | null;
  readonly duplicateOf: string | null;
  readonly rejected: string | null;
  /** Extra fields (allowed by the contract). */
  readonly outlet?: string | null;
  readonly url?: string | null;
  readonly similarity?: number | null;
  readonly arrivedAt?: string;
  readonly contentHash?: string;
}

/** One sentence of a story summary, attributed to the article it was taken from. */
export interface SummarySentence {
  readonly text: string;
  readonly articleId: string;
  /** Outlet of that article, for display ("— Reuters"). */
  readonly outlet?: string | null;
}

/** A number with its unit and subject, as reported by one source ("4,500 Russian troops killed"). */
export interface KeyFigure {
  readonly value: number;
  /** The figure as written ("4,500", "half a million", "20%"). */
  readonly display: string;
  /** What is counted ("Russian troops killed", "refugees"). */
  readonly subject: string;
  readonly articleId: string;
  readonly outlet: string | null;
  /** The sentence it came from, for context. */
  readonly sentence: string;
  /** The comparable quantity it measures ("russian deaths", "refugees"), when recognised. */
  readonly quantity?: string;
}

/** Two or more sources giving different figures for the same quantity. */
export interface Disagreement {
  readonly quantity: string;
  readonly figures: readonly KeyFigure[];
}

/** A link from a story to the earlier day's story it continues. */
export interface FollowUp {
  readonly storyId: string;
  readonly day: Day;
  readonly headline: string;
  /**
   * An http(s) URL of one of the earlier story's articles, so the briefing can link the follow-up
   * when there is no archive. Absent when none of its articles has one (and in older digests).
   */
  readonly url?: string;
}

export interface DigestArticleRef {
  readonly id: string;
  readonly source: string;
  readonly title: string | null;
  readonly outlet: string | null;
  readonly url: string | null;
  readonly publishedAt: Day;
  readonly dateSource: DateSource;
}

export interface DigestDuplicateRef {
  readonly source: string;
  /** Source key of the article it duplicates. */
  readonly duplicateOf: string;
  readonly similarity: number;
  readonly outlet?: string | null;
  readonly url?: string | null;
}

export interface DigestStory {
  readonly id: string;
  readonly headline: string;
  readonly summary: readonly SummarySentence[];
  readonly articles: readonly DigestArticleRef[];
  readonly duplicates: readonly DigestDuplicateRef[];
  /** Extra fields beyond the contract. */
  readonly figures?: readonly KeyFigure[];
  readonly disagreements?: readonly Disagreement[];
  readonly followUpTo?: FollowUp | null;
  /** Distinct outlets that carried the story (articles plus duplicates). */
  readonly outlets?: readonly string[];
}

/** `digests/<day>.json`, schemaVersion 1 (DESIGN.md §3). */
export interface Digest {
  readonly schemaVersion: 1;
  readonly date: Day;
  readonly stories: readonly DigestStory[];
}
