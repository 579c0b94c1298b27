/**
 * The briefing configuration: of a deployed send function from its environment (parsed once), and of the
 * local CLI from cdk.json's brand keys (local-briefing-config.ts). Both apply the brand with withBrand, so
 * the same brand settings style the deployed and the previewed briefing alike.
 */
import {
  type BriefingConfig,
  DEFAULT_BRIEFING_CONFIG,
  validateBriefingConfig,
} from '../core/render/config.ts';
import type { SiteConfig } from '../core/site/site.ts';
import { env } from './env.ts';

/** What an operator styles (core/deploy-config.ts BrandConfig); null keeps the template's default. */
export interface BriefingBrand {
  readonly brandName: string;
  readonly senderName: string;
  readonly accentColor: string | null;
  readonly logoUrl: string | null;
  readonly archiveBaseUrl: string | null;
}

/** `base` styled with `brand`, validated (the colour goes into CSS and the URLs into links). */
export function withBrand(base: BriefingConfig, brand: BriefingBrand): BriefingConfig {
  return validateBriefingConfig({
    ...base,
    brandName: brand.brandName,
    senderName: brand.senderName,
    accentColor: brand.accentColor ?? DEFAULT_BRIEFING_CONFIG.accentColor,
    logoUrl: brand.logoUrl,
    archiveBaseUrl: brand.archiveBaseUrl,
    whyYouGetThis: `You are receiving this because you subscribed to the ${brand.brandName} daily briefing.`,
  });
}

export function briefingConfigFromEnv(): BriefingConfig {
  const sender = env.senderAddress();
  return withBrand(
    {
      ...DEFAULT_BRIEFING_CONFIG,
      senderAddress: sender,
      postalAddress: env.postalAddress() || DEFAULT_BRIEFING_CONFIG.postalAddress,
      unsubscribeBaseUrl: env.unsubscribeUrl(),
      preferencesBaseUrl: env.preferencesUrl(),
      unsubscribeMailto: `mailto:${env.unsubscribeMailbox() ?? sender}?subject=unsubscribe`,
    },
    {
      brandName: env.brandName(),
      senderName: env.senderName(),
      accentColor: env.accentColor(),
      logoUrl: env.logoUrl(),
      archiveBaseUrl: env.archiveBaseUrl(),
    },
  );
}

/** The archive site's configuration in the publisher Lambda: the brand and footer, the site URL and sign-up. */
export function siteConfigFromEnv(): SiteConfig {
  const briefing = withBrand(
    {
      ...DEFAULT_BRIEFING_CONFIG,
      postalAddress: env.postalAddress() || DEFAULT_BRIEFING_CONFIG.postalAddress,
    },
    {
      brandName: env.brandName(),
      senderName: env.senderName(),
      accentColor: env.accentColor(),
      logoUrl: env.logoUrl(),
      archiveBaseUrl: null,
    },
  );
  return { briefing, baseUrl: env.siteUrl().replace(/\/+$/, ''), signupAction: env.signupUrl() };
}
