/** The shapes the rendering stage hands to its callers (CLI, send Lambda, preview). */

/**
 * One digest rendered once, for everybody. `html` and `text` still carry the per-subscriber
 * placeholders (see placeholders.ts); `personalise` fills them for each recipient.
 */
export interface RenderedBriefing {
  readonly subject: string;
  readonly preheader: string;
  readonly html: string;
  readonly text: string;
}

/** The partials every template set must provide, besides the root `briefing`. */
export const TEMPLATE_PARTIALS = ['header', 'story', 'figures', 'sources', 'more', 'footer'] as const;
export type TemplatePartialName = (typeof TEMPLATE_PARTIALS)[number];

/** The MJML sources of templates/: the root document and its partials, by file name without `.mjml`. */
export interface BriefingTemplates {
  readonly briefing: string;
  readonly partials: Readonly<Record<TemplatePartialName, string>> & Readonly<Record<string, string>>;
}
