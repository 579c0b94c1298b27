/**
 * Sentence-level helpers shared by the summarisers: term bags, cosine, and the test for
 * sentences that cannot stand alone.
 */
import { lruMemo } from '../memo.ts';
import { splitSentences } from '../text.ts';
import { contentTerms } from './stemming.ts';

/** Sentences shorter than this many words are fragments (bylines, "Read more", captions). */
export const MIN_SENTENCE_WORDS = 6;
/** Sentences longer than this are run-ons glued by bad markup; they make poor summaries. */
export const MAX_SENTENCE_WORDS = 80;

export interface Sentence {
  readonly text: string;
  /** 0-based position in its article. */
  readonly position: number;
  readonly words: number;
  readonly terms: Map<string, number>;
}

/**
 * A quotation that ends in its own stop ("...?" / "...!" / "...") and the short attribution after
 * it ("Hailey later recalled.", "Mr Trump said.") are one sentence: the splitter cuts them apart
 * because the attribution starts with a capital. Attributions longer than this are sentences of
 * their own ("Wendt says women should feel safe everywhere.").
 */
export const MAX_ATTRIBUTION_WORDS = 5;

/** A speech verb: what makes a short fragment after a quotation an attribution. */
const SPEECH_VERB =
  /\b(?:said|says|added|adds|recalled|recalls|told|asked|asks|explained|wrote|writes|continued|insisted|warned|noted|argued|replied|tweeted|admitted|claimed|concluded|joked)\b/;
/** A sentence that ends inside a quotation: a stop mark, then a closing quote. */
const ENDS_WITH_CLOSED_QUOTE = /[.?!…]["”’']$/;

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const WHITESPACE = /\s/;

/**
 * Whitespace-separated chunks that hold a letter or digit (a lone dash or bullet is no word).
 * A scanner rather than split+filter: this runs on every sentence of every article.
 */
function countWords(sentence: string): number {
  let words = 0;
  let inChunk = false;
  let counted = false;
  for (let i = 0; i < sentence.length; i++) {
    const c = sentence.charCodeAt(i);
    const space = c < 128 ? c === 32 || (c >= 9 && c <= 13) : WHITESPACE.test(sentence[i]!);
    if (space) {
      inChunk = false;
      continue;
    }
    if (!inChunk) {
      inChunk = true;
      counted = false;
    }
    if (counted) continue;
    const wordChar =
      c < 128
        ? (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
        : LETTER_OR_DIGIT.test(sentence.slice(i, c >= 0xd800 && c <= 0xdbff ? i + 2 : i + 1));
    if (wordChar) {
      words++;
      counted = true;
    }
  }
  return words;
}

/** True when `fragment` is the attribution of the quotation that closes `previous`. */
function isQuoteAttribution(previous: string, fragment: string, words: number): boolean {
  return (
    words <= MAX_ATTRIBUTION_WORDS &&
    ENDS_WITH_CLOSED_QUOTE.test(previous) &&
    !/^["'“‘]/.test(fragment) &&
    fragment.endsWith('.') &&
    SPEECH_VERB.test(fragment)
  );
}

/**
 * Analysed articles kept, most recently used last. The engine re-summarises a story each time a
 * member joins, re-reading its other members (up to its summary pool); keeping the last few hundred
 * analyses makes each member's sentences, and the centrality memoised on them (summarise.ts), cost
 * once instead of on every re-summary. Bounded, keyed by the text, so it can never go stale.
 */
export const ANALYSIS_CACHE_SIZE = 512;

/**
 * Splits and annotates the sentences of an article. The result is shared between callers that
 * pass the same text (and frozen): read it, never change it.
 */
export const articleSentences: (text: string) => readonly Sentence[] = lruMemo(ANALYSIS_CACHE_SIZE, (text) =>
  Object.freeze(analyse(text)),
);

function analyse(text: string): Sentence[] {
  const raws: string[] = [];
  const wordCounts: number[] = [];
  for (const raw of splitSentences(text)) {
    const sentenceText = raw.trim();
    const words = countWords(sentenceText);
    const last = raws.length - 1;
    const previous = raws[last];
    if (previous !== undefined && isQuoteAttribution(previous, sentenceText, words)) {
      // Rejoin only when the article has the two with one space between them, so the sentence stays verbatim.
      const joined = `${previous} ${sentenceText}`;
      if (text.includes(joined)) {
        raws[last] = joined;
        wordCounts[last] = (wordCounts[last] ?? 0) + words;
        continue;
      }
    }
    raws.push(sentenceText);
    wordCounts.push(words);
  }
  return raws.map((sentenceText, position) => {
    const terms = new Map<string, number>();
    for (const t of contentTerms(sentenceText)) terms.set(t, (terms.get(t) ?? 0) + 1);
    return { text: sentenceText, position, words: wordCounts[position] ?? 0, terms };
  });
}

/** True for a sentence that reads as a real sentence: long enough, not a question heading, ends like prose. */
export function isSummarisable(s: Sentence): boolean {
  if (s.words < MIN_SENTENCE_WORDS || s.words > MAX_SENTENCE_WORDS) return false;
  if (/\?["'”’]?$/.test(s.text)) return false;
  if (!/[.!"'”’)]$/.test(s.text)) return false;
  if (hasCapitalsRun(s.text)) return false;
  return s.terms.size > 0;
}

/**
 * This many words in capitals in a row are a graphic's labels or a caption glued to the text
 * ("200 FEET LAS VEGAS BOULEVARD CROWD STAGE ..."), not prose: they share many names with the
 * article, so centrality alone would pick the line. Prose has acronyms, rarely five in a row.
 */
export const MAX_CAPITALS_RUN = 5;

/**
 * True when MAX_CAPITALS_RUN space-separated words of two or more letters, all in capitals, follow
 * each other (words without two letters, like "200" or "-", neither count nor break the run).
 * A scanner over character codes: this runs on every candidate sentence of every re-summary.
 */
function hasCapitalsRun(text: string): boolean {
  let run = 0;
  let letters = 0;
  let lower = false;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 32;
    if (c === 32) {
      if (letters >= 2) {
        run = lower ? 0 : run + 1;
        if (run >= MAX_CAPITALS_RUN) return true;
      }
      letters = 0;
      lower = false;
    } else if (c >= 65 && c <= 90) letters++;
    else if (c >= 97 && c <= 122) {
      letters++;
      lower = true;
    } else if (c >= 128) {
      const ch = text[i]!;
      const up = ch.toUpperCase();
      const down = ch.toLowerCase();
      if (up !== down) {
        letters++;
        if (ch === down) lower = true;
      }
    }
  }
  return false;
}

/** Weighted cosine of two term bags under a weighting function. */
export function weightedCosine(
  a: ReadonlyMap<string, number>,
  b: ReadonlyMap<string, number>,
  weight: (term: string) => number,
): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  a.forEach((x, t) => {
    const w = weight(t);
    na += (x * w) ** 2;
    const y = b.get(t);
    if (y !== undefined) dot += x * y * w * w;
  });
  b.forEach((y, t) => {
    nb += (y * weight(t)) ** 2;
  });
  if (dot === 0) return 0;
  return dot / Math.sqrt(na * nb);
}

/** PageRank damping for sentence centrality (the usual 0.85). */
export const CENTRALITY_DAMPING = 0.85;
/** Power-iteration rounds at most: scores settle well before this on article-sized graphs. */
export const CENTRALITY_ITERATIONS = 40;
/**
 * Power iteration stops once no score moves by more than this (scores are around 1): far below
 * any gap that decides a ranking, and it halves the rounds against running all of them.
 */
const CENTRALITY_TOLERANCE = 1e-6;
/**
 * The k of reciprocal rank fusion (Cormack, Clarke & Büttcher 2009): a sentence scores
 * sum 1/(k + rank) over the rankings. 60 is the published constant, not fitted here; a large k
 * lets a sentence that every method ranks well beat one that a single method ranks first.
 */
export const RANK_FUSION_K = 60;

/** The sentence graph as an edge list (i < j, undirected) with its TextRank and LexRank weights. */
interface SentenceGraph {
  readonly size: number;
  readonly from: Int32Array;
  readonly to: Int32Array;
  /** TextRank: shared terms over the sum of log term counts (0 when a side has < 2 terms). */
  readonly overlap: Float64Array;
  /** LexRank: term-frequency cosine. */
  readonly cosine: Float64Array;
}

/**
 * Weighted PageRank by power iteration over an undirected edge list, for several weightings of
 * the same edges at once (one pass over the edges per round); each score list is scaled to a
 * maximum of 1. Sparse: sentences that share no term have no edge.
 */
function pageRanks(graph: SentenceGraph, weightings: readonly Float64Array[]): number[][] {
  const k = graph.size;
  const { from, to } = graph;
  const edges = from.length;
  const m = weightings.length;
  // Per weighting, per sentence (index w * k + i): out-weight, current score, share sent along each edge, next score.
  const outSum = new Float64Array(m * k);
  let score = new Float64Array(m * k).fill(1);
  let next = new Float64Array(m * k);
  const share = new Float64Array(m * k);
  weightings.forEach((weights, w) => {
    for (let e = 0; e < edges; e++) {
      outSum[w * k + from[e]!]! += weights[e]!;
      outSum[w * k + to[e]!]! += weights[e]!;
    }
  });
  for (let iter = 0; iter < CENTRALITY_ITERATIONS; iter++) {
    for (let i = 0; i < m * k; i++)
      share[i] = outSum[i]! > 0 ? (CENTRALITY_DAMPING * score[i]!) / outSum[i]! : 0;
    next.fill(1 - CENTRALITY_DAMPING);
    for (let w = 0; w < m; w++) {
      const weights = weightings[w]!;
      const base = w * k;
      for (let e = 0; e < edges; e++) {
        const x = weights[e]!;
        const a = base + from[e]!;
        const b = base + to[e]!;
        next[b]! += x * share[a]!;
        next[a]! += x * share[b]!;
      }
    }
    let moved = 0;
    for (let i = 0; i < m * k; i++) moved = Math.max(moved, Math.abs(next[i]! - score[i]!));
    [score, next] = [next, score];
    if (moved < CENTRALITY_TOLERANCE) break;
  }
  return weightings.map((_, w) => {
    const own = score.subarray(w * k, (w + 1) * k);
    let max = 1e-9;
    for (let i = 0; i < k; i++) max = Math.max(max, own[i]!);
    return Array.from(own, (x) => x / max);
  });
}

function squaredNorm(terms: ReadonlyMap<string, number>): number {
  let n = 0;
  for (const x of terms.values()) n += x * x;
  return n;
}

/**
 * Both sentence graphs in one pass: pairs are found through an inverted index (term -> sentences),
 * so the work follows the pairs that share a term, row by row, with O(k) scratch memory.
 */
function sentenceGraph(sentences: readonly Sentence[]): SentenceGraph {
  const k = sentences.length;
  const postings = new Map<string, number[]>();
  // For each sentence, where its own entry sits in each of its terms' postings: later entries are later sentences.
  const own: { list: number[]; at: number; x: number }[][] = sentences.map((s, i) => {
    const entries: { list: number[]; at: number; x: number }[] = [];
    s.terms.forEach((x, t) => {
      let list = postings.get(t);
      if (list === undefined) {
        list = [];
        postings.set(t, list);
      }
      entries.push({ list, at: list.length, x });
      list.push(i, x);
    });
    return entries;
  });
  const sizes = sentences.map((s) => s.terms.size);
  const logs = sizes.map((n) => Math.log(n));
  const norms = sentences.map((s) => Math.sqrt(squaredNorm(s.terms)));
  const shared = new Float64Array(k);
  const dot = new Float64Array(k);
  const touched: number[] = [];
  const from: number[] = [];
  const to: number[] = [];
  const overlap: number[] = [];
  const cosine: number[] = [];
  for (let i = 0; i < k; i++) {
    for (const { list, at, x } of own[i]!) {
      for (let q = at + 2; q < list.length; q += 2) {
        const j = list[q]!;
        if (shared[j] === 0) touched.push(j);
        shared[j]! += 1;
        dot[j]! += x * list[q + 1]!;
      }
    }
    for (const j of touched) {
      from.push(i);
      to.push(j);
      overlap.push(sizes[i]! >= 2 && sizes[j]! >= 2 ? shared[j]! / (logs[i]! + logs[j]!) : 0);
      cosine.push(dot[j]! / (norms[i]! * norms[j]!));
      shared[j] = 0;
      dot[j] = 0;
    }
    touched.length = 0;
  }
  return {
    size: k,
    from: Int32Array.from(from),
    to: Int32Array.from(to),
    overlap: Float64Array.from(overlap),
    cosine: Float64Array.from(cosine),
  };
}

/**
 * TextRank centrality (Mihalcea & Tarau 2004): sentences are linked by shared content terms,
 * normalised by log lengths, and ranked by PageRank. A sentence that shares words with many
 * others states what the article is about. Returns scores scaled to a maximum of 1.
 */
export function centralityScores(sentences: readonly Sentence[]): number[] {
  const graph = sentenceGraph(sentences);
  return pageRanks(graph, [graph.overlap])[0]!;
}

/**
 * Cosine of each sentence to the article's term centroid (MEAD, Radev et al. 2004): how much
 * of what the whole text talks about the sentence states. Raw term frequencies, no inverse
 * sentence frequency: within one article the topic words are the frequent ones, and down-weighting
 * them would reward the sentences that stray from the topic.
 */
export function centroidScores(sentences: readonly Sentence[]): number[] {
  const centroid = new Map<string, number>();
  for (const s of sentences)
    s.terms.forEach((n, t) => {
      centroid.set(t, (centroid.get(t) ?? 0) + n);
    });
  const norm = Math.sqrt(squaredNorm(centroid));
  return sentences.map((s) => {
    let dot = 0;
    s.terms.forEach((x, t) => {
      dot += x * (centroid.get(t) ?? 0);
    });
    return dot === 0 ? 0 : dot / (Math.sqrt(squaredNorm(s.terms)) * norm);
  });
}

/** 1-based ranks of scores, best first; equal scores rank the earlier sentence first. */
function ranksOf(scores: readonly number[]): number[] {
  const order = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  const ranks = new Array<number>(scores.length).fill(0);
  order.forEach((sentenceIndex, rank) => {
    ranks[sentenceIndex] = rank + 1;
  });
  return ranks;
}

/**
 * Consensus centrality: reciprocal rank fusion of three classic, independently published views
 * of "central" — TextRank (shared words, PageRank), continuous LexRank (Erkan & Radev 2004:
 * term-frequency cosine, PageRank) and the MEAD centroid. Each alone is noisy in its own way
 * (TextRank favours long sentences, the centroid short dense ones, LexRank quotes that echo
 * the lede); a sentence all three rank high is central by every account. Rank fusion needs no
 * score scaling and no weights to fit. Scores are comparable within one article only.
 */
export function consensusCentrality(sentences: readonly Sentence[]): number[] {
  const graph = sentenceGraph(sentences);
  const [textRank = [], lexRank = []] = pageRanks(graph, [graph.overlap, graph.cosine]);
  const rankings = [textRank, lexRank, centroidScores(sentences)].map(ranksOf);
  return sentences.map((_, i) => {
    let fused = 0;
    for (const ranks of rankings) fused += 1 / (RANK_FUSION_K + ranks[i]!);
    return fused;
  });
}
