/**
 * Fills the MJML templates with a briefing view using Handlebars. `{{value}}` escapes for HTML
 * (text and quoted attributes), which is the only form the shipped templates use; the view's
 * URLs are already restricted to http(s).
 */
import Handlebars from 'handlebars';
import type { BriefingTemplates } from './types.ts';
import type { BriefingView } from './view.ts';

/** Compiled template sets, keyed by the loaded set: a warm Lambda renders many digests with one set. */
const compiled = new WeakMap<BriefingTemplates, (view: BriefingView) => string>();

/** Compiles a template set once; the returned function fills it for any view. */
export function compileTemplates(templates: BriefingTemplates): (view: BriefingView) => string {
  const cached = compiled.get(templates);
  if (cached) return cached;
  const fill = compileTemplateSet(templates);
  compiled.set(templates, fill);
  return fill;
}

function compileTemplateSet(templates: BriefingTemplates): (view: BriefingView) => string {
  const env = Handlebars.create();
  for (const [name, source] of Object.entries(templates.partials)) {
    env.registerPartial(name, env.compile(source, { strict: true }));
  }
  const root = env.compile(templates.briefing, { strict: true });
  return (view) => root(view);
}

/** Fills the templates with a view: the MJML document to hand to mjml2html. */
export function fillTemplates(templates: BriefingTemplates, view: BriefingView): string {
  return compileTemplates(templates)(view);
}
