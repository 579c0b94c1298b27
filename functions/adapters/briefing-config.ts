/** The briefing configuration of a deployed send function, from its environment (parsed once). */
import {
  type BriefingConfig,
  DEFAULT_BRIEFING_CONFIG,
  validateBriefingConfig,
} from '../core/render/config.ts';
import { env } from './env.ts';

export function briefingConfigFromEnv(): BriefingConfig {
  const sender = env.senderAddress();
  return validateBriefingConfig({
    ...DEFAULT_BRIEFING_CONFIG,
    brandName: env.brandName(),
    senderAddress: sender,
    senderName: env.senderName(),
    postalAddress: env.postalAddress() || DEFAULT_BRIEFING_CONFIG.postalAddress,
    whyYouGetThis: `You are receiving this because you subscribed to the ${env.brandName()} daily briefing.`,
    unsubscribeBaseUrl: env.unsubscribeUrl(),
    unsubscribeMailto: `mailto:${sender}?subject=unsubscribe`,
  });
}
