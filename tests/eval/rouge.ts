/**
 * ROUGE-N and ROUGE-L F-measures (Lin 2004) computed as Google's `rouge-score` package computes
 * `rouge1`/`rouge2`/`rougeL` with its defaults (no stemmer): the text is lower-cased, every run of
 * characters outside [a-z0-9] becomes a space, and the remaining tokens are the words. So "AOL's"
 * is two tokens ("aol", "s"), "one-off" two ("one", "off"), "$1.13bn" two ("1", "13bn"), and an
 * accented letter is a separator. N-grams run over the whole token sequence, across sentence
 * breaks, so joining the sentences with a newline or a space scores the same. One reference per
 * summary; a pair's F is averaged over pairs by the caller.
 */

/** rouge-score's tokenizer (tokenize.py, stemmer off). */
export function rougeTokens(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .split(' ')
    .filter((t) => t.length > 0);
}

function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const g = tokens.slice(i, i + n).join(' ');
    m.set(g, (m.get(g) ?? 0) + 1);
  }
  return m;
}

const f = (p: number, r: number): number => (p + r === 0 ? 0 : (2 * p * r) / (p + r));

/** ROUGE-N F: clipped n-gram overlap between candidate and reference (rouge-score `_score_ngrams`). */
export function rougeN(candidate: string, reference: string, n: number): number {
  const c = ngramCounts(rougeTokens(candidate), n);
  const r = ngramCounts(rougeTokens(reference), n);
  let overlap = 0;
  let cTotal = 0;
  let rTotal = 0;
  for (const v of c.values()) cTotal += v;
  for (const [g, v] of r) {
    rTotal += v;
    overlap += Math.min(v, c.get(g) ?? 0);
  }
  // rouge-score divides by max(count, 1): an empty side scores 0 either way.
  if (cTotal === 0 || rTotal === 0) return 0;
  return f(overlap / cTotal, overlap / rTotal);
}

/** ROUGE-L F: longest common subsequence of the whole token sequences (rouge-score `rougeL`, not `rougeLsum`). */
export function rougeL(candidate: string, reference: string): number {
  const a = rougeTokens(candidate);
  const b = rougeTokens(reference);
  if (a.length === 0 || b.length === 0) return 0;
  let prev = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const cur = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) {
      cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, cur[j - 1]!);
    }
    prev = cur;
  }
  const lcs = prev[b.length]!;
  return f(lcs / a.length, lcs / b.length);
}
