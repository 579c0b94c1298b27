/**
 * The security headers the archive site is served with. CloudFront's response-headers policy sets
 * them in AWS (infra/constructs/archive-site.ts reads these values); `npm run serve` sends the same.
 */

/** No script at all; styles only from the site's own style sheet; forms only to the sign-up endpoint. */
export function siteContentSecurityPolicy(formAction: string): string {
  return [
    "default-src 'none'",
    "style-src 'self'",
    'img-src https: data:',
    `form-action ${formAction}`,
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const HSTS_MAX_AGE_SECONDS = 63_072_000;

export const REFERRER_POLICY = 'no-referrer';

export const SITE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': siteContentSecurityPolicy("'self'"),
  'x-content-type-options': 'nosniff',
  'referrer-policy': REFERRER_POLICY,
  'x-frame-options': 'DENY',
};
