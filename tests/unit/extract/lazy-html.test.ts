/**
 * Cold start: the text path must not load the HTML stack (linkedom, Readability) nor chrono's other
 * locales. esbuild bundles the extraction entry with code splitting, and the module graph reachable
 * through static imports from the entry must hold none of them; they must sit behind the dynamic
 * import the HTML path uses. Read from the metafile, so nothing is executed and no timing is involved.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ENTRY = join(import.meta.dirname, '..', '..', '..', 'functions', 'core', 'extract', 'index.ts');
const HTML_STACK = [/node_modules\/linkedom\//, /node_modules\/@mozilla\/readability\//];
/** chrono's locales other than English (the text path reads English dates only). */
const OTHER_CHRONO_LOCALES = /node_modules\/chrono-node\/dist\/esm\/locales\/(?!en\/)[^/]+\//;

let outdir = '';
let metafile: Metafile;

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'extract-bundle-'));
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    outdir,
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  metafile = result.metafile;
}, 60_000);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

/** Inputs of every output chunk reachable from the entry chunk through static imports only. */
function staticInputs(meta: Metafile): { inputs: string[]; dynamicTargets: string[] } {
  const outputs = meta.outputs;
  const entry = Object.keys(outputs).find((o) => outputs[o]!.entryPoint !== undefined);
  if (!entry) throw new Error('no entry chunk in the metafile');
  const seen = new Set<string>([entry]);
  const queue = [entry];
  const dynamicTargets: string[] = [];
  while (queue.length > 0) {
    const out = outputs[queue.pop()!]!;
    for (const imp of out.imports) {
      if (imp.kind === 'dynamic-import') dynamicTargets.push(imp.path);
      else if (imp.kind === 'import-statement' && outputs[imp.path] && !seen.has(imp.path)) {
        seen.add(imp.path);
        queue.push(imp.path);
      }
    }
  }
  const inputs = [...seen].flatMap((o) => Object.keys(outputs[o]!.inputs));
  return { inputs, dynamicTargets };
}

describe('extraction bundle keeps the HTML stack lazy', () => {
  it('bundles linkedom and Readability at all (so the checks below can fail)', () => {
    const all = Object.keys(metafile.inputs);
    for (const re of HTML_STACK) expect(all.some((i) => re.test(i))).toBe(true);
  });

  it('loads neither linkedom nor Readability through static imports of the entry', () => {
    const { inputs } = staticInputs(metafile);
    expect(inputs.some((i) => i.includes('functions/core/extract/dates.ts'))).toBe(true);
    for (const re of HTML_STACK) expect(inputs.filter((i) => re.test(i))).toEqual([]);
    expect(inputs.filter((i) => i.includes('functions/core/extract/html/'))).toEqual([]);
  });

  it('puts the HTML stack behind a dynamic import', () => {
    const { dynamicTargets } = staticInputs(metafile);
    const lazyInputs = dynamicTargets.flatMap((o) => Object.keys(metafile.outputs[o]?.inputs ?? {}));
    expect(lazyInputs.some((i) => i.includes('functions/core/extract/html/index.ts'))).toBe(true);
  });

  it('loads only the English chrono locale on the text path', () => {
    const { inputs } = staticInputs(metafile);
    expect(inputs.some((i) => /chrono-node\/dist\/esm\/locales\/en\//.test(i))).toBe(true);
    expect(inputs.filter((i) => OTHER_CHRONO_LOCALES.test(i))).toEqual([]);
  });
});
