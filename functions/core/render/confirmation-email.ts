/**
 * The one email a sign-up sends: the briefing's masthead, colours and footer, one button to confirm,
 * and a plain-text alternative with the same link. Nothing is filled from untrusted text but the
 * brand and footer the operator configured; all of it is escaped.
 */
import type { BriefingConfig } from './config.ts';
import { escapeHtml } from './safe.ts';
import { contactLineOf } from './view.ts';

export interface ConfirmationEmail {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

export function confirmationEmail(
  config: BriefingConfig,
  confirmUrl: string,
  validHours: number,
): ConfirmationEmail {
  const e = escapeHtml;
  const brand = config.brandName.trim() || 'News Digest';
  const accent = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(config.accentColor) ? config.accentColor : '#a11d21';
  const contact = contactLineOf(config.senderName.trim(), config.postalAddress.trim());
  const subject = `Confirm your ${brand} subscription`;
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${e(subject)}</title></head>
<body style="margin:0;padding:0;background:#f4f4f4">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f4f4"><tr><td align="center" style="padding:24px 8px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:600px;background:#ffffff;font-family:Georgia,'Times New Roman',serif;color:#1a1a1a">
<tr><td style="padding:20px 24px 12px;border-bottom:4px solid ${accent};font-size:26px;font-weight:bold">${e(brand)}</td></tr>
<tr><td style="padding:24px;font-size:17px;line-height:1.55">
<h1 style="font-size:22px;margin:0 0 12px">Confirm your subscription</h1>
<p style="margin:0 0 20px">Someone, probably you, asked to receive the ${e(brand)} briefing at this address. Press the button to confirm; the page it opens has one more button, so nothing happens by accident.</p>
<table role="presentation" cellpadding="0" cellspacing="0"><tr><td style="background:${accent}"><a href="${e(confirmUrl)}" style="display:inline-block;padding:12px 22px;color:#ffffff;font-family:Helvetica,Arial,sans-serif;font-size:16px;text-decoration:none">Confirm my subscription</a></td></tr></table>
<p style="margin:20px 0 0;font-size:15px;color:#555555">The link works for ${validHours} hours. If you did not ask for this, ignore this email: you will not hear from us again.</p>
</td></tr>
<tr><td style="padding:16px 24px;border-top:1px solid #d6d6d6;font-family:Helvetica,Arial,sans-serif;font-size:13px;color:#555555">${e(contact)}</td></tr>
</table></td></tr></table></body></html>`;
  const text = `${brand}

Confirm your subscription

Someone, probably you, asked to receive the ${brand} briefing at this
address. Open this link and press the button to confirm:

${confirmUrl}

The link works for ${validHours} hours. If you did not ask for this,
ignore this email: you will not hear from us again.

--
${contact}
`;
  return { subject, html, text };
}
