/**
 * The briefing configuration of the local CLI (`npm run digest`, `npm run send`, `npm run preview`): the
 * defaults, styled with the brand keys of cdk.json's `newsDigest` block when there is one, so that a local
 * preview shows the operator's brand. The keys are validated by the same function as at deploy time
 * (core/deploy-config.ts). Sender and footer address stay local placeholders: local
 * mail is never delivered.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { DEFAULTS } from '../contracts.ts';
import { configFromContext, parseBrandConfig } from '../core/deploy-config.ts';
import { ConfigError } from '../core/errors.ts';
import { type BriefingConfig, DEFAULT_BRIEFING_CONFIG } from '../core/render/config.ts';
import type { SiteConfig } from '../core/site/site.ts';
import { withBrand } from './briefing-config.ts';

/** The defaults, with local emails linking the preference page `npm run serve` answers. */
export const LOCAL_BRIEFING_DEFAULTS: BriefingConfig = {
  ...DEFAULT_BRIEFING_CONFIG,
  preferencesBaseUrl: `http://localhost:${DEFAULTS.servePort}/preferences`,
};

/** The repository's cdk.json, where `cdk deploy` reads the same block. */
export const CDK_JSON_PATH = fileURLToPath(new URL('../../cdk.json', import.meta.url));

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads `cdkJsonPath` (no file or no block: the defaults). @throws ConfigError on an invalid brand key. */
export async function localBriefingConfig(cdkJsonPath: string = CDK_JSON_PATH): Promise<BriefingConfig> {
  let text: string;
  try {
    text = await readFile(cdkJsonPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return LOCAL_BRIEFING_DEFAULTS;
    throw error;
  }
  let cdkJson: unknown;
  try {
    cdkJson = JSON.parse(text);
  } catch (cause) {
    throw new ConfigError(
      `${cdkJsonPath} is not valid JSON (${(cause as Error).message}). Fix it: cdk synth reads it too.`,
      { cause },
    );
  }
  const block = configFromContext(isRecord(cdkJson) && isRecord(cdkJson.context) ? cdkJson.context : {});
  if (block === undefined) return LOCAL_BRIEFING_DEFAULTS;
  try {
    const brand = parseBrandConfig(block);
    return withBrand(LOCAL_BRIEFING_DEFAULTS, {
      brandName: brand.brandName,
      senderName: brand.senderName,
      accentColor: brand.accentColor ?? null,
      logoUrl: brand.logoUrl ?? null,
      archiveBaseUrl: brand.archiveBaseUrl ?? null,
    });
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new ConfigError(`${cdkJsonPath}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

/** `npm run serve`'s default port; the local site's feeds link here unless archiveBaseUrl is set. */
export const DEFAULT_SERVE_PORT = DEFAULTS.servePort;

/** The paths `npm run serve` answers the reader flows on (the site's forms post to them). */
export const LOCAL_READER_PATHS = { signup: '/signup' } as const;

/** The local archive site: the operator's archiveBaseUrl when set, else what `npm run serve` serves. */
export function localSiteConfig(briefing: BriefingConfig): SiteConfig {
  return {
    briefing,
    baseUrl: (briefing.archiveBaseUrl ?? `http://localhost:${DEFAULT_SERVE_PORT}`).replace(/\/+$/, ''),
    signupAction: LOCAL_READER_PATHS.signup,
  };
}
