/**
 * Where the local run writes the archive site: `<out>/site/`, each file through a temporary file and a
 * rename, so a reader never gets half a page; the manifest in `<out>/state/site.json`, beside the engine
 * state, not in the served folder.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SiteManifest } from '../core/site/manifest.ts';
import type { SiteFile } from '../core/site/site.ts';
import type { SiteStore } from '../ports.ts';
import { writeFileAtomic } from './fs-store.ts';

export class FsSiteStore implements SiteStore {
  readonly siteDir: string;
  private readonly manifestPath: string;

  constructor(root: string) {
    this.siteDir = join(root, 'site');
    this.manifestPath = join(root, 'state', 'site.json');
  }

  async loadManifest(): Promise<unknown> {
    try {
      return JSON.parse(await readFile(this.manifestPath, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async saveManifest(manifest: SiteManifest): Promise<void> {
    await writeFileAtomic(this.manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  }

  async putFile(file: SiteFile): Promise<void> {
    await writeFileAtomic(join(this.siteDir, file.path), file.body);
  }
}
