/**
 * Renders a digest into the briefing: fills the MJML templates, compiles them with mjml once per
 * digest, and builds the plain-text alternative from the same view. Per-subscriber values stay as
 * placeholders for `personalise`.
 */
import { NewsDigestError } from '../core/errors.ts';
import type { BriefingConfig } from '../core/render/config.ts';
import { compileTemplates } from '../core/render/fill.ts';
import { renderPlainText } from '../core/render/plain-text.ts';
import type { BriefingTemplates, RenderedBriefing } from '../core/render/types.ts';
import { buildBriefingView, MAX_LISTED_HEADLINES } from '../core/render/view.ts';
import type { Digest } from '../core/types.ts';
import type { BriefingRenderer } from '../ports.ts';

/**
 * Gmail clips a message whose HTML exceeds 102 KB. Aim below it with room for the subscriber's
 * address and signed unsubscribe URL (well under 1 KB) and for the clients' own additions.
 */
export const HTML_BUDGET_BYTES = 96 * 1024;

/** MJML problems we refuse to send: anything the validator flags makes the layout unpredictable. */
export class TemplateError extends NewsDigestError {
  override name = 'TemplateError';
}

/** On a very busy day, fewer full stories are shown before the headline list is cut below this. */
export const MIN_FULL_STORIES = 5;

/**
 * Collapses indentation runs in MJML's pretty-printed output. A whitespace run that contains a
 * line break renders exactly like a single line break (no <pre> or <textarea> in the briefing, and
 * article text never carries line breaks), so this saves roughly a quarter of the bytes for free.
 */
export function collapseIndentation(html: string): string {
  return html.replace(/\n[ \t\r\n]+/g, '\n');
}

type Mjml2Html = typeof import('mjml');
let mjmlModule: Promise<Mjml2Html> | null = null;

/**
 * mjml (with juice, cheerio, htmlnano) takes most of a second to load, so it is loaded on the first
 * render rather than at import: a Lambda that imports this module starts fast and pays the cost
 * once, when it first renders a digest.
 */
function loadMjml(): Promise<Mjml2Html> {
  mjmlModule ??= import('mjml').then((m) => ((m as { default?: Mjml2Html }).default ?? m) as Mjml2Html);
  return mjmlModule;
}

async function compile(mjml: string): Promise<string> {
  const mjml2html = await loadMjml();
  const result = await mjml2html(mjml, { validationLevel: 'soft', keepComments: false });
  if (result.errors.length > 0) {
    const detail = result.errors.map((e) => e.formattedMessage).join('; ');
    throw new TemplateError(`The briefing templates produced invalid MJML: ${detail}. Fix templates/*.mjml.`);
  }
  return collapseIndentation(result.html);
}

/**
 * Renders the briefing. When the HTML would be over budget (a very busy day), fewer stories are
 * shown in full and fewer headlines listed, until it fits (a few extra MJML runs, once per digest).
 */
export async function renderBriefing(
  digest: Digest,
  config: BriefingConfig,
  templates: BriefingTemplates,
): Promise<RenderedBriefing> {
  const fill = compileTemplates(templates);
  let maxFullStories = config.maxFullStories;
  let maxListedHeadlines = MAX_LISTED_HEADLINES;
  for (;;) {
    const view = buildBriefingView(digest, config, { maxFullStories, maxListedHeadlines });
    const html = await compile(fill(view));
    const fits = Buffer.byteLength(html, 'utf8') <= HTML_BUDGET_BYTES;
    if (fits || (maxFullStories <= 1 && maxListedHeadlines <= 0)) {
      return { subject: view.subject, preheader: view.preheader, html, text: renderPlainText(view) };
    }
    // Shed full stories down to a handful first (each costs as much as a dozen headlines), then
    // halve the headline list, then the last full stories.
    if (maxFullStories > MIN_FULL_STORIES) maxFullStories -= 1;
    else if (maxListedHeadlines > 0) maxListedHeadlines = Math.floor(maxListedHeadlines / 2);
    else if (maxFullStories > 1) maxFullStories -= 1;
  }
}

/** The BriefingRenderer port over one set of MJML templates. */
export function mjmlRenderer(templates: BriefingTemplates): BriefingRenderer {
  return (digest, config) => renderBriefing(digest, config, templates);
}
