/**
 * Loads the briefing's MJML templates from disk.
 *
 * The directory is, in order:
 *   1. the `dir` argument;
 *   2. `process.env.TEMPLATES_DIR` (the send Lambda sets it; the bundle ships templates/ beside itself);
 *   3. relative to this module: `./templates` next to a bundled file, else the repository's
 *      `templates/` two levels up from `functions/adapters/`.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENV_NAMES } from '../contracts.ts';
import { ConfigError } from '../core/errors.ts';
import { type BriefingTemplates, TEMPLATE_PARTIALS } from '../core/render/types.ts';

export type { BriefingTemplates };

/** This module's directory, in ESM (tsx, vitest) and in a CommonJS bundle (esbuild for Lambda). */
function moduleDir(): string | null {
  // In a CJS bundle import.meta is an empty object and __dirname exists; in ESM the reverse.
  const url = (import.meta as { url?: string }).url;
  if (url) return dirname(fileURLToPath(url));
  return typeof __dirname === 'string' ? __dirname : null;
}

/** Candidate directories, most specific first. Exported for tests and for the handler's logs. */
export function templateDirCandidates(dir?: string): string[] {
  if (dir) return [resolve(dir)];
  const fromEnv = process.env[ENV_NAMES.templatesDir];
  if (fromEnv) return [resolve(fromEnv)];
  const here = moduleDir();
  const candidates = here ? [join(here, 'templates'), join(here, '..', '..', 'templates')] : [];
  candidates.push(resolve('templates'));
  return candidates;
}

/** Resolves the directory that holds briefing.mjml (see the module comment for the order). */
export function resolveTemplatesDir(dir?: string): string {
  const candidates = templateDirCandidates(dir);
  const found = candidates.find((c) => existsSync(join(c, 'briefing.mjml')));
  if (!found) {
    throw new ConfigError(
      `No briefing templates found (looked for briefing.mjml in ${candidates.join(', ')}). ` +
        'Pass the directory, set TEMPLATES_DIR, or ship templates/ next to the bundle.',
    );
  }
  return found;
}

/** Reads templates/briefing.mjml and every partial it needs. */
export async function loadTemplates(dir?: string): Promise<BriefingTemplates> {
  const root = resolveTemplatesDir(dir);
  const read = async (name: string) => {
    try {
      return await readFile(join(root, `${name}.mjml`), 'utf8');
    } catch (cause) {
      throw new ConfigError(
        `Template ${name}.mjml is missing from ${root}; restore it from the repository.`,
        {
          cause,
        },
      );
    }
  };
  const briefing = await read('briefing');
  const entries = await Promise.all(TEMPLATE_PARTIALS.map(async (name) => [name, await read(name)] as const));
  return { briefing, partials: Object.fromEntries(entries) as BriefingTemplates['partials'] };
}
