/**
 * The real bundling path: through the construct on a stub entry (milliseconds): local esbuild (no
 * Docker), ES modules, minified, source map without sources, templates/ copied beside the send
 * functions' bundle; and on the real handlers, what is read at init and what only when needed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { BUNDLE_ENTRY_FILE, bundleHandler, ESBUILD_OPTIONS, staticClosure } from '../../infra/bundling.ts';
import { DigestFunction } from '../../infra/constructs/digest-function.ts';
import { HANDLER_ENTRIES, REPO_ROOT } from '../../infra/paths.ts';

const STUB_ENTRY = join(import.meta.dirname, 'fixtures', 'stub-handler.ts');

const OTHER_ENTRY = join(import.meta.dirname, 'fixtures', 'other-handler.ts');

/** Synthesises one DigestFunction per entry with bundling on; returns each function's asset directory. */
function bundleAll(entries: readonly string[], withTemplates: boolean): string[] {
  const outdir = mkdtempSync(join(tmpdir(), 'news-digest-bundle-'));
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'BundleTest');
  const functions = entries.map(
    (entry, i) =>
      new DigestFunction(stack, `Fn${i}`, {
        entry,
        name: 'stub',
        description: 'bundling test',
        memorySize: 128,
        timeout: Duration.seconds(3),
        environment: {},
        removalPolicy: RemovalPolicy.DESTROY,
        withTemplates,
      }),
  );
  app.synth();
  return functions.map((fn) => {
    const code = (fn.function.node.defaultChild as CfnFunction).code as { s3Key?: string };
    const hash = stack.resolve(code.s3Key) as string;
    return join(outdir, `asset.${hash.replace(/\.zip$/, '')}`);
  });
}

function bundle(withTemplates: boolean): string {
  return bundleAll([STUB_ENTRY], withTemplates)[0] ?? '';
}

/** Packages in the files that `entry` reaches through static imports (what Lambda loads at init). */
function packagesAtInit(
  outputs: Metafile['outputs'],
  entry: string,
): { atInit: Set<string>; all: Set<string> } {
  const packagesOf = (file: string) =>
    Object.keys(outputs[file]?.inputs ?? {}).flatMap((input) => {
      const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
      return match?.[1] ? [match[1]] : [];
    });
  const seen = staticClosure(outputs, entry);
  return {
    atInit: new Set([...seen].flatMap(packagesOf)),
    all: new Set(Object.keys(outputs).flatMap(packagesOf)),
  };
}

function bundleReal(name: keyof typeof HANDLER_ENTRIES) {
  const outdir = mkdtempSync(join(tmpdir(), `news-digest-${name}-`));
  const { outputs } = bundleHandler(HANDLER_ENTRIES[name], outdir);
  return { outdir, ...packagesAtInit(outputs, relative(REPO_ROOT, join(outdir, BUNDLE_ENTRY_FILE))) };
}

describe('bundling', () => {
  it('bundles with the local esbuild from devDependencies into split ES modules', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    expect(pkg.devDependencies.esbuild).toBeDefined();
    expect(ESBUILD_OPTIONS).toMatchObject({
      format: 'esm',
      splitting: true,
      target: 'node24',
      minify: true,
      sourcemap: true,
    });
  });

  it('produces a minified ES module index.mjs with a source map that carries no source text', () => {
    const dir = bundle(false);
    const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
    expect(code).toMatch(/export\s*\{[^}]*as handler\s*\}/);
    expect(code).not.toMatch(/module\.exports/);
    expect(code).toContain('sourceMappingURL=index.mjs.map');
    const map = JSON.parse(readFileSync(join(dir, 'index.mjs.map'), 'utf8')) as { sourcesContent?: unknown };
    expect(map.sourcesContent).toBeUndefined();
    expect(existsSync(join(dir, 'index.js'))).toBe(false);
    expect(existsSync(join(dir, 'templates'))).toBe(false);
  });

  it('copies templates/ next to the bundle of a function that renders email', () => {
    const dir = bundle(true);
    const source = readdirSync(join(REPO_ROOT, 'templates')).filter((f) => f.endsWith('.mjml'));
    expect(source.length).toBeGreaterThan(0);
    expect(
      readdirSync(join(dir, 'templates'))
        .filter((f) => f.endsWith('.mjml'))
        .sort(),
    ).toEqual(source.sort());
  });

  it('gives each function its own bundle', () => {
    const [stub, other] = bundleAll([STUB_ENTRY, OTHER_ENTRY], false);
    expect(stub).not.toEqual(other);
    expect(readFileSync(join(other ?? '', 'index.mjs'), 'utf8')).toContain('"other"');
    expect(readFileSync(join(stub ?? '', 'index.mjs'), 'utf8')).not.toContain('"other"');
  });

  it('loads the HTML stack in the ingest function only when an HTML file arrives', () => {
    const { outdir, atInit, all } = bundleReal('ingest');
    for (const pkg of ['linkedom', '@mozilla/readability', 'htmlparser2']) {
      expect(all).toContain(pkg);
      expect(atInit).not.toContain(pkg);
    }
    expect(atInit).toContain('@aws-sdk/client-s3');
    expect(atInit).toContain('chrono-node');
    // The bundle really is a module Node.js can load: the CommonJS shim, chunk paths and the export work.
    const url = pathToFileURL(join(outdir, BUNDLE_ENTRY_FILE)).href;
    const loaded = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m=await import(${JSON.stringify(url)});console.log(typeof m.handler)`,
      ],
      { encoding: 'utf8' },
    );
    expect(loaded.trim()).toBe('function');
  });

  it('loads mjml in the send function only when it renders', () => {
    const { atInit, all } = bundleReal('send');
    expect(all).toContain('mjml');
    expect(atInit).not.toContain('mjml');
    expect(atInit).not.toContain('mjml-core');
    expect(all).not.toContain('typescript');
  });
});
