/**
 * What an operator can change about the briefing without touching code: brand, sender, footer
 * text and the links the footer needs. Layout and colours beyond the accent live in templates/.
 */
import { DEFAULTS } from '../../contracts.ts';
import { ConfigError } from '../errors.ts';

export interface BriefingConfig {
  /** Shown in the masthead, the subject line and the footer ("News Digest"). */
  readonly brandName: string;
  /** Masthead rule and link colour, `#rgb` or `#rrggbb`. Keep it dark: links must contrast with white. */
  readonly accentColor: string;
  /** Absolute https URL of a logo image shown instead of the text masthead; null for the text masthead. */
  readonly logoUrl: string | null;
  /** The From address ("briefing@news.example"). Its domain also names the Message-ID. */
  readonly senderAddress: string;
  /** The From display name ("News Digest"). */
  readonly senderName: string;
  /**
   * The postal/contact line the law wants in bulk mail (CAN-SPAM, PECR). The footer puts the sender
   * name before it unless it already starts with that name.
   */
  readonly postalAddress: string;
  /** One sentence telling the reader why they receive this. */
  readonly whyYouGetThis: string;
  /** Stories shown in full; the rest are listed as headlines (keeps the HTML below Gmail's clip). */
  readonly maxFullStories: number;
  /** The one-click unsubscribe endpoint; the signed token is added as `?token=`. */
  readonly unsubscribeBaseUrl: string;
  /** `mailto:` URI (or a bare address) for List-Unsubscribe's mail fallback. */
  readonly unsubscribeMailto: string;
  /** Where past briefings are published as `<base>/<YYYY-MM-DD>.html`; null when there is no archive. */
  readonly archiveBaseUrl?: string | null;
  /** The reader's preference page; a signed `?token=` is added per subscriber. Null: no link. */
  readonly preferencesBaseUrl?: string | null;
}

export const DEFAULT_BRIEFING_CONFIG: BriefingConfig = {
  brandName: DEFAULTS.brandName,
  // A deep newsroom red: 8.6:1 against white, so it passes WCAG AA for body-size link text.
  accentColor: '#a11d21',
  logoUrl: null,
  senderAddress: 'briefing@example.com',
  senderName: DEFAULTS.brandName,
  // The sender name goes before it in the footer, so the address does not repeat the brand.
  postalAddress: '1 Example Street, Example City EX1 1AA',
  whyYouGetThis: `You are receiving this because you subscribed to the ${DEFAULTS.brandName} daily briefing.`,
  // A full story is ~7 KB of HTML: twelve plus a headline list fit the 102 KB Gmail budget on a
  // normal day; on busier days the renderer shows fewer in full (see mjml-renderer.ts).
  maxFullStories: 12,
  unsubscribeBaseUrl: 'https://example.com/unsubscribe',
  unsubscribeMailto: 'mailto:unsubscribe@example.com?subject=unsubscribe',
  archiveBaseUrl: null,
};

const HEX_COLOUR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;
const ADDRESS = /^[^\s@<>"(),;:]+@[^\s@<>"(),;:]+\.[^\s@<>"(),;:]+$/;

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Checks a configuration once, at start-up. The accent colour goes into CSS and the URLs into
 * links, so they are validated rather than trusted.
 */
export function validateBriefingConfig(config: BriefingConfig): BriefingConfig {
  const problems: string[] = [];
  if (!config.brandName.trim()) problems.push('brandName is empty');
  if (!HEX_COLOUR.test(config.accentColor)) problems.push('accentColor must be #rgb or #rrggbb');
  if (config.logoUrl !== null && !isHttpsUrl(config.logoUrl))
    problems.push('logoUrl must be an https URL or null');
  if (!ADDRESS.test(config.senderAddress)) problems.push('senderAddress must be an email address');
  if (!config.postalAddress.trim()) problems.push('postalAddress is empty (bulk mail must carry one)');
  if (!Number.isInteger(config.maxFullStories) || config.maxFullStories < 1) {
    problems.push('maxFullStories must be a positive integer');
  }
  if (!isHttpsUrl(config.unsubscribeBaseUrl)) problems.push('unsubscribeBaseUrl must be an https URL');
  const mailto = config.unsubscribeMailto.replace(/^mailto:/i, '').split('?')[0] ?? '';
  if (!ADDRESS.test(mailto)) problems.push('unsubscribeMailto must be a mailto: URI or an address');
  if (config.archiveBaseUrl != null && !isHttpsUrl(config.archiveBaseUrl)) {
    problems.push('archiveBaseUrl must be an https URL or null');
  }
  if (problems.length > 0) {
    throw new ConfigError(
      `Invalid briefing configuration: ${problems.join('; ')}. Fix the values and restart.`,
    );
  }
  return config;
}
