import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderBriefing } from '../../../functions/adapters/mjml-renderer.ts';
import { loadTemplates, resolveTemplatesDir } from '../../../functions/adapters/templates.ts';
import { ConfigError } from '../../../functions/core/errors.ts';
import { TEMPLATE_PARTIALS } from '../../../functions/core/render/types.ts';
import { CONFIG, seedsLikeDigest } from './fixtures.ts';

const REPO_TEMPLATES = join(import.meta.dirname, '..', '..', '..', 'templates');

describe('loadTemplates', () => {
  const dirs: string[] = [];
  afterEach(() => {
    vi.unstubAllEnvs();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  function copyTemplates(): string {
    const dir = mkdtempSync(join(tmpdir(), 'templates-'));
    dirs.push(dir);
    cpSync(REPO_TEMPLATES, dir, { recursive: true });
    return dir;
  }

  it('finds the repository templates relative to the module by default', async () => {
    expect(resolveTemplatesDir()).toBe(REPO_TEMPLATES);
    const templates = await loadTemplates();
    expect(templates.briefing).toContain('<mjml');
    expect(Object.keys(templates.partials).sort()).toEqual([...TEMPLATE_PARTIALS].sort());
  });

  it('prefers an explicit directory, then TEMPLATES_DIR', async () => {
    const explicit = copyTemplates();
    const fromEnv = copyTemplates();
    vi.stubEnv('TEMPLATES_DIR', fromEnv);
    expect(resolveTemplatesDir(explicit)).toBe(explicit);
    expect(resolveTemplatesDir()).toBe(fromEnv);
  });

  it('says where it looked when the templates are missing', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-templates-'));
    dirs.push(empty);
    await expect(loadTemplates(empty)).rejects.toThrow(ConfigError);
    await expect(loadTemplates(empty)).rejects.toThrow(empty);
  });

  it('lets an operator restyle by editing templates only', async () => {
    const dir = copyTemplates();
    const story = readFileSync(join(dir, 'story.mjml'), 'utf8');
    cpSync(join(dir, 'story.mjml'), join(dir, 'story.orig'));
    const restyled = story.replace('font-size:25px', 'font-size:31px;font-variant:small-caps');
    expect(restyled).not.toBe(story);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'story.mjml'), restyled);
    const rendered = await renderBriefing(seedsLikeDigest(), CONFIG, await loadTemplates(dir));
    expect(rendered.html).toContain('font-variant:small-caps');
  });

  it('applies brand name, accent colour and logo from config', async () => {
    const rendered = await renderBriefing(
      seedsLikeDigest(),
      {
        ...CONFIG,
        brandName: 'The Morning Wire',
        accentColor: '#0b4f6c',
        logoUrl: 'https://cdn.example.com/logo.png',
      },
      await loadTemplates(),
    );
    expect(rendered.html).toContain('#0b4f6c');
    expect(rendered.html).not.toContain(CONFIG.accentColor);
    const img = /<img[^>]*>/.exec(rendered.html)?.[0] ?? '';
    expect(img).toContain('src="https://cdn.example.com/logo.png"');
    expect(img).toContain('alt="The Morning Wire"');
    expect(rendered.subject.startsWith('The Morning Wire: ')).toBe(true);
  });

  it('never use Handlebars raw output ({{{ }}} or {{& }}) in the shipped templates', () => {
    for (const file of readdirSync(REPO_TEMPLATES).filter((f) => f.endsWith('.mjml'))) {
      const source = readFileSync(join(REPO_TEMPLATES, file), 'utf8').replace(/\{\{!--[\s\S]*?--\}\}/g, '');
      expect(source, file).not.toMatch(/\{\{\{|\{\{~?\s*&/);
    }
  });
});
