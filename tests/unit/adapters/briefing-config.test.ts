/**
 * The operator's brand (cdk.json newsDigest: brandName, accentColor, logoUrl, archiveBaseUrl) reaches the
 * briefing both ways: the deployed send functions read it from their environment (the stack sets it), and
 * the local CLI and preview read it from cdk.json.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { briefingConfigFromEnv } from '../../../functions/adapters/briefing-config.ts';
import {
  CDK_JSON_PATH,
  LOCAL_BRIEFING_DEFAULTS,
  localBriefingConfig,
} from '../../../functions/adapters/local-briefing-config.ts';
import { renderBriefing } from '../../../functions/adapters/mjml-renderer.ts';
import { ConfigError } from '../../../functions/core/errors.ts';
import { DEFAULT_BRIEFING_CONFIG } from '../../../functions/core/render/config.ts';
import { repoTemplates, seedsLikeDigest } from '../render/fixtures.ts';

const DEPLOYED = {
  BUCKET_NAME: 'bucket',
  SENDER_ADDRESS: 'briefing@news.example.org',
  SENDER_NAME: 'Morning Brief',
  BRAND_NAME: 'Morning Brief',
  POSTAL_ADDRESS: '1 High Street, London N1 1AA',
  UNSUBSCRIBE_URL: 'https://abc.lambda-url.eu-west-2.on.aws/',
  UNSUBSCRIBE_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:key',
};

function stubEnv(vars: Record<string, string>): void {
  for (const [name, value] of Object.entries(vars)) vi.stubEnv(name, value);
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('briefingConfigFromEnv', () => {
  it('applies the brand variables the stack sets', () => {
    stubEnv({
      ...DEPLOYED,
      ACCENT_COLOR: '#1a4d8f',
      LOGO_URL: 'https://news.example.org/logo.png',
      ARCHIVE_BASE_URL: 'https://news.example.org/archive',
    });
    expect(briefingConfigFromEnv()).toMatchObject({
      brandName: 'Morning Brief',
      senderName: 'Morning Brief',
      accentColor: '#1a4d8f',
      logoUrl: 'https://news.example.org/logo.png',
      archiveBaseUrl: 'https://news.example.org/archive',
      senderAddress: 'briefing@news.example.org',
      postalAddress: '1 High Street, London N1 1AA',
      unsubscribeBaseUrl: 'https://abc.lambda-url.eu-west-2.on.aws/',
      unsubscribeMailto: 'mailto:briefing@news.example.org?subject=unsubscribe',
      whyYouGetThis: 'You are receiving this because you subscribed to the Morning Brief daily briefing.',
    });
  });

  it('points the List-Unsubscribe mailto at the configured unsubscribe mailbox', () => {
    stubEnv({ ...DEPLOYED, UNSUBSCRIBE_MAILBOX: 'leave@news.example.org' });
    expect(briefingConfigFromEnv().unsubscribeMailto).toBe(
      'mailto:leave@news.example.org?subject=unsubscribe',
    );
  });

  it('keeps the template defaults when the brand variables are unset or empty', () => {
    stubEnv({ ...DEPLOYED, ACCENT_COLOR: '', LOGO_URL: ' ' });
    const config = briefingConfigFromEnv();
    expect(config.accentColor).toBe(DEFAULT_BRIEFING_CONFIG.accentColor);
    expect(config.logoUrl).toBeNull();
    expect(config.archiveBaseUrl).toBeNull();
  });

  it('refuses a variable that is not what the stack validates (a hand-edited function)', () => {
    stubEnv({ ...DEPLOYED, LOGO_URL: 'http://news.example.org/logo.png' });
    expect(() => briefingConfigFromEnv()).toThrow(/logoUrl must be an https URL/);
    vi.unstubAllEnvs();
    stubEnv({ ...DEPLOYED, ACCENT_COLOR: 'red' });
    expect(() => briefingConfigFromEnv()).toThrow(ConfigError);
  });
});

function cdkJson(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'news-digest-cdkjson-'));
  const path = join(dir, 'cdk.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('localBriefingConfig (npm run digest / send / preview)', () => {
  it("styles the local briefing with cdk.json's brand keys, without needing the deploy-only keys", async () => {
    const path = cdkJson({
      app: 'npx tsx infra/app.ts',
      context: {
        newsDigest: {
          brandName: 'Morning Brief',
          accentColor: '#1A4D8F',
          logoUrl: 'https://news.example.org/logo.png',
          archiveBaseUrl: 'https://news.example.org/archive/',
        },
      },
    });
    const config = await localBriefingConfig(path);
    expect(config).toEqual({
      ...LOCAL_BRIEFING_DEFAULTS,
      brandName: 'Morning Brief',
      senderName: 'Morning Brief',
      accentColor: '#1a4d8f',
      logoUrl: 'https://news.example.org/logo.png',
      archiveBaseUrl: 'https://news.example.org/archive',
      whyYouGetThis: 'You are receiving this because you subscribed to the Morning Brief daily briefing.',
    });
    const { html } = await renderBriefing(seedsLikeDigest(), config, await repoTemplates());
    expect(html).toContain('#1a4d8f');
    expect(html).toContain('https://news.example.org/logo.png');
    expect(html).not.toContain(DEFAULT_BRIEFING_CONFIG.accentColor);
  });

  it('falls back to the defaults without a cdk.json or without a newsDigest block', async () => {
    expect(await localBriefingConfig(join(tmpdir(), 'no-such-dir', 'cdk.json'))).toBe(
      LOCAL_BRIEFING_DEFAULTS,
    );
    expect(await localBriefingConfig(cdkJson({ context: {} }))).toBe(LOCAL_BRIEFING_DEFAULTS);
    expect(await localBriefingConfig(cdkJson({}))).toBe(LOCAL_BRIEFING_DEFAULTS);
    // The local defaults are the deployed ones plus the preference page `npm run serve` answers.
    expect(LOCAL_BRIEFING_DEFAULTS).toEqual({
      ...DEFAULT_BRIEFING_CONFIG,
      preferencesBaseUrl: 'http://localhost:8787/preferences',
    });
  });

  it('names the file and the key when a brand value is invalid', async () => {
    const path = cdkJson({ context: { newsDigest: { accentColor: 'crimson' } } });
    const error = await localBriefingConfig(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toContain('newsDigest.accentColor: "crimson" is not a #rrggbb colour');
    await expect(localBriefingConfig(cdkJson('{ not json'))).rejects.toThrow(/is not valid JSON/);
  });

  it("reads the repository's cdk.json by default", async () => {
    expect(CDK_JSON_PATH).toBe(join(import.meta.dirname, '..', '..', '..', 'cdk.json'));
    const shipped = JSON.parse(readFileSync(CDK_JSON_PATH, 'utf8')) as {
      context: { newsDigest?: { brandName?: string } };
    };
    expect((await localBriefingConfig()).brandName).toBe(
      shipped.context.newsDigest?.brandName ?? DEFAULT_BRIEFING_CONFIG.brandName,
    );
  });
});
