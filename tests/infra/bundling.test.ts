/**
 * The real bundling path, on a stub entry so that it takes milliseconds: local esbuild (no Docker), CJS,
 * minified, source map without sources, templates/ copied beside the send functions' bundle.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { ESBUILD_OPTIONS, NODEJS_BUNDLING } from '../../infra/bundling.ts';
import { DigestFunction } from '../../infra/constructs/digest-function.ts';
import { REPO_ROOT } from '../../infra/paths.ts';

const STUB_ENTRY = join(import.meta.dirname, 'fixtures', 'stub-handler.ts');

function bundle(withTemplates: boolean): string {
  const outdir = mkdtempSync(join(tmpdir(), 'news-digest-bundle-'));
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'BundleTest');
  new DigestFunction(stack, 'Fn', {
    entry: STUB_ENTRY,
    name: 'stub',
    description: 'bundling test',
    memorySize: 128,
    timeout: Duration.seconds(3),
    environment: {},
    removalPolicy: RemovalPolicy.DESTROY,
    withTemplates,
  });
  app.synth();
  const assets = readdirSync(outdir).filter((f) => f.startsWith('asset.'));
  expect(assets).toHaveLength(1);
  return join(outdir, assets[0] ?? '');
}

describe('bundling', () => {
  it('uses the local esbuild from devDependencies, never Docker', () => {
    expect(NODEJS_BUNDLING.forceDockerBundling).toBe(false);
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    expect(pkg.devDependencies.esbuild).toBeDefined();
    expect(ESBUILD_OPTIONS).toMatchObject({ format: 'cjs', target: 'node22', minify: true, sourcemap: true });
  });

  it('produces a minified CommonJS index.js with a source map that carries no source text', () => {
    const dir = bundle(false);
    const code = readFileSync(join(dir, 'index.js'), 'utf8');
    expect(code).toMatch(/module\.exports/);
    expect(code).not.toMatch(/^export /m);
    expect(code).toContain('sourceMappingURL=index.js.map');
    const map = JSON.parse(readFileSync(join(dir, 'index.js.map'), 'utf8')) as { sourcesContent?: unknown };
    expect(map.sourcesContent).toBeUndefined();
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
});
