/**
 * ROUGE-N and ROUGE-L F-measures (Lin 2004) with simple tokenisation: lower-cased word tokens
 * (letters/digits), no stemming, no stop-word removal. One reference per summary.
 */
import { tokenize } from '../../functions/core/text.ts';

export function rougeTokens(text: string): string[] {
  return tokenize(text);
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

/** ROUGE-N F: clipped n-gram overlap between candidate and reference. */
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
  if (cTotal === 0 || rTotal === 0) return 0;
  return f(overlap / cTotal, overlap / rTotal);
}

/** ROUGE-L F: longest common subsequence of the whole token sequences (summary-level, no union-LCS). */
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
