/**
 * The layering rules of ARCHITECTURE.md, checked on the import statements of every source file, so that a
 * shortcut across layers fails here rather than in review.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(dir, file));
}

/** Repository-relative paths of the project modules `file` imports (relative specifiers only). */
function projectImports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specifiers = [...text.matchAll(/\bfrom\s+'(\.[^']+)'|\bimport\(\s*'(\.[^']+)'\s*\)/g)].map(
    (match) => (match[1] ?? match[2]) as string,
  );
  return specifiers.map((specifier) => relative(ROOT, resolve(ROOT, dirname(file), specifier)));
}

/** Each `file -> import` pair under `from` whose import lies under one of `forbidden`. */
function violations(from: string, forbidden: readonly string[]): string[] {
  return sourceFiles(from).flatMap((file) =>
    projectImports(file)
      .filter((target) => forbidden.some((folder) => target.startsWith(`${folder}/`)))
      .map((target) => `${file} -> ${target}`),
  );
}

describe('import rules', () => {
  it('finds the imports it checks (the rules below are not vacuous)', () => {
    expect(projectImports('functions/handlers/ingest.ts')).toContain(
      'functions/adapters/ingest-dependencies.ts',
    );
    expect(projectImports('infra/constructs/article-bucket.ts')).toContain('functions/contracts.ts');
  });

  it('nothing under functions/ imports infra/ (runtime code never depends on deploy code)', () => {
    expect(violations('functions', ['infra'])).toEqual([]);
  });

  it('functions/app/ sees ports only: it imports nothing from adapters/ or handlers/', () => {
    expect(violations('functions/app', ['functions/adapters', 'functions/handlers', 'infra'])).toEqual([]);
  });

  it('infra/ imports only the shared contracts and pure core modules from functions/', () => {
    const runtime = ['functions/adapters', 'functions/app', 'functions/handlers'];
    expect(violations('infra', runtime)).toEqual([]);
  });

  it('functions/core/ imports nothing outside core/ but the shared contracts', () => {
    const outside = ['functions/adapters', 'functions/app', 'functions/handlers', 'infra'];
    expect(violations('functions/core', outside)).toEqual([]);
  });

  it('functions/core/ is pure: no AWS SDK, no file system, no process.env', () => {
    const impure = /from '(?:@aws-sdk\/[^']+|node:fs(?:\/promises)?)'|\bprocess\.env\b/;
    const offenders = sourceFiles('functions/core').filter((file) =>
      readFileSync(join(ROOT, file), 'utf8')
        .split('\n')
        .some((line) => !/^\s*(?:\*|\/\/)/.test(line) && impure.test(line)),
    );
    expect(offenders).toEqual([]);
  });

  it('the local CLI loads no AWS SDK at start: only its --bucket paths import one, on demand', () => {
    const reached = new Set<string>();
    const visit = (file: string): void => {
      if (reached.has(file)) return;
      reached.add(file);
      const text = readFileSync(join(ROOT, file), 'utf8');
      // Static imports only (a type-only one is erased, but is followed too: that can only over-report).
      for (const match of text.matchAll(/\bfrom\s+'(\.[^']+)'/g))
        visit(relative(ROOT, resolve(ROOT, dirname(file), match[1] as string)));
    };
    visit('functions/cli.ts');
    const aws = /^import(?!\s+type\b)[^;]*from '@aws-(?:sdk|lambda-powertools)\//m;
    const loading = [...reached].filter((file) => aws.test(readFileSync(join(ROOT, file), 'utf8')));
    expect(reached.size).toBeGreaterThan(50);
    expect(loading).toEqual([]);
  });
});
