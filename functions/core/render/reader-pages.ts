/**
 * The pages a reader sees outside the email: sign-up received, confirm, preferences, unsubscribe, and
 * the refusals. One shell for all of them, in the briefing's colours, with its style sheet inline and
 * allowed by its hash in the CSP (no script, no other style, forms only to this endpoint). Every value
 * is escaped; nothing here says whether an address is on the list.
 */
import { createHash } from 'node:crypto';
import { CADENCES, type Cadence } from '../subscriber.ts';
import { escapeHtml } from './safe.ts';

export interface ReaderPage {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface ReaderBrand {
  readonly name: string;
  readonly accentColor: string;
}

const e = escapeHtml;

function css(accent: string): string {
  const colour = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(accent) ? accent : '#a11d21';
  return `body{font-family:Georgia,'Times New Roman',serif;max-width:34rem;margin:0 auto;padding:0 1rem 2rem;color:#1a1a1a;line-height:1.55}header{border-bottom:4px solid ${colour};padding:1rem 0 .5rem;font-size:1.4rem;font-weight:bold}h1{font-size:1.5rem}a{color:${colour}}label{display:block;font-family:Helvetica,Arial,sans-serif;font-weight:bold;margin:.9rem 0 .25rem}select,input{font:inherit;padding:.45rem;border:1px solid #767676;max-width:100%}button{font-family:Helvetica,Arial,sans-serif;font-size:1rem;background:${colour};color:#fff;border:0;padding:.6rem 1.2rem;margin-top:1rem;cursor:pointer}button.secondary{background:#fff;color:${colour};border:2px solid ${colour}}p.note{font-family:Helvetica,Arial,sans-serif;color:#555;font-size:.95rem}`;
}

function headers(style: string): Record<string, string> {
  const hash = createHash('sha256').update(style).digest('base64');
  return {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'content-security-policy': `default-src 'none'; style-src 'sha256-${hash}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
  };
}

export function readerPage(brand: ReaderBrand, status: number, title: string, body: string): ReaderPage {
  const style = css(brand.accentColor);
  return {
    status,
    headers: headers(style),
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer"><title>${e(title)}</title><style>${style}</style></head><body><header>${e(brand.name)}</header><main><h1>${e(title)}</h1>${body}</main></body></html>`,
  };
}

/** The one answer to every link that is not valid now: forged, altered, expired or already used. */
export function invalidLinkPage(brand: ReaderBrand): ReaderPage {
  return readerPage(
    brand,
    403,
    'This link is not valid',
    '<p>It may have expired or been used already. Please use the link in the most recent email, or sign up again on the website.</p>',
  );
}

export function badRequestPage(brand: ReaderBrand, reason: string): ReaderPage {
  return readerPage(
    brand,
    400,
    'We could not read that request',
    `<p>${e(reason)}</p><p>Nothing was changed.</p>`,
  );
}

export function tooLargePage(brand: ReaderBrand, limitBytes: number): ReaderPage {
  return readerPage(
    brand,
    413,
    'That request is too large',
    `<p>Forms here send less than ${Math.floor(limitBytes / 1024)} KB. Nothing was changed.</p>`,
  );
}

export function methodNotAllowedPage(brand: ReaderBrand, allow: string): ReaderPage {
  const page = readerPage(brand, 405, 'That is not something this page does', '<p>Nothing was changed.</p>');
  return { ...page, headers: { ...page.headers, allow } };
}

/** After a sign-up, whatever the address's state: new, pending, subscribed or suppressed. */
export function signupReceivedPage(brand: ReaderBrand, validHours: number): ReaderPage {
  return readerPage(
    brand,
    200,
    'Check your inbox',
    `<p>If the address can receive the briefing, an email is on its way with a button to confirm your subscription. The link in it works for ${validHours} hours.</p><p class="note">Nothing is sent until you confirm. If nothing arrives, check your spam folder, or try again tomorrow.</p>`,
  );
}

function postButton(
  action: string,
  label: string,
  hidden: Record<string, string> = {},
  secondary = false,
): string {
  const fields = Object.entries(hidden)
    .map(([name, value]) => `<input type="hidden" name="${e(name)}" value="${e(value)}">`)
    .join('');
  return `<form method="post" action="${e(action)}">${fields}<button type="submit"${secondary ? ' class="secondary"' : ''}>${e(label)}</button></form>`;
}

/** GET of the confirmation link: a button, because link scanners prefetch GETs. */
export function confirmPage(brand: ReaderBrand, action: string): ReaderPage {
  return readerPage(
    brand,
    200,
    'Confirm your subscription',
    `<p>Press the button to start receiving the ${e(brand.name)} briefing.</p>${postButton(action, 'Confirm my subscription')}`,
  );
}

export function confirmedPage(brand: ReaderBrand, preferencesUrl: string): ReaderPage {
  return readerPage(
    brand,
    200,
    'You are subscribed',
    `<p>The briefing will arrive every morning. You can <a href="${e(preferencesUrl)}">choose how often and when</a>, or unsubscribe, at any time.</p>`,
  );
}

export interface PreferencesForm {
  readonly cadence: Cadence;
  readonly timeZone: string;
  readonly hour: number;
}

export function preferencesPage(
  brand: ReaderBrand,
  action: string,
  current: PreferencesForm,
  timeZones: readonly string[],
  notice: string | null = null,
): ReaderPage {
  const cadenceOptions = CADENCES.map(
    (c) =>
      `<option value="${c}"${c === current.cadence ? ' selected' : ''}>${c === 'daily' ? 'Every day' : 'Once a week'}</option>`,
  ).join('');
  const hourOptions = Array.from({ length: 24 }, (_, h) => {
    const label = `${String(h).padStart(2, '0')}:00`;
    return `<option value="${h}"${h === current.hour ? ' selected' : ''}>${label}</option>`;
  }).join('');
  const zones = timeZones.includes(current.timeZone) ? timeZones : [current.timeZone, ...timeZones];
  const zoneOptions = zones
    .map(
      (z) =>
        `<option value="${e(z)}"${z === current.timeZone ? ' selected' : ''}>${e(z.replace(/_/g, ' '))}</option>`,
    )
    .join('');
  const body = `${notice ? `<p role="status"><strong>${e(notice)}</strong></p>` : ''}<form method="post" action="${e(action)}"><input type="hidden" name="action" value="save">
<label for="cadence">How often</label><select id="cadence" name="cadence">${cadenceOptions}</select>
<label for="timeZone">Time zone</label><select id="timeZone" name="timeZone">${zoneOptions}</select>
<label for="hour">Delivery hour</label><select id="hour" name="hour">${hourOptions}</select>
<p class="note">A weekly briefing arrives once a week, at this hour.</p>
<button type="submit">Save preferences</button></form>
<h2>Leave the briefing</h2>${postButton(action, 'Unsubscribe', { action: 'unsubscribe' }, true)}`;
  return readerPage(brand, 200, 'Your briefing preferences', body);
}

export function unsubscribeConfirmPage(brand: ReaderBrand, action: string): ReaderPage {
  return readerPage(
    brand,
    200,
    'Unsubscribe from the briefing?',
    `<p>Press the button to stop receiving the briefing.</p>${postButton(action, 'Unsubscribe', { 'List-Unsubscribe': 'One-Click' })}`,
  );
}

export function unsubscribedPage(brand: ReaderBrand): ReaderPage {
  return readerPage(brand, 200, 'You are unsubscribed', '<p>You will not receive the briefing any more.</p>');
}
