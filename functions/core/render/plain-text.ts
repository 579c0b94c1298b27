/**
 * The plain-text alternative: the same content as the HTML, in the same order, readable in a
 * terminal at 72 columns. URLs go in angle brackets on their own so mail clients link them.
 *
 * Every line fits in TEXT_WIDTH columns, with one exception: a line that is a single URL longer
 * than that (the signed unsubscribe link always is) stays whole, because a URL broken across lines
 * no longer works when clicked. tests/e2e/digest-cli.test.ts holds the seeds' emails to this rule.
 */
import type { BriefingView, StoryView } from './view.ts';
import { TEXT_WIDTH, wrapParagraph } from './wrap.ts';

const RULE = '='.repeat(TEXT_WIDTH);
const THIN_RULE = '-'.repeat(TEXT_WIDTH);

function linkLine(url: string | null, indent: string): string[] {
  return url ? [`${indent}<${url}>`] : [];
}

function storyText(story: StoryView): string[] {
  const out: string[] = [];
  out.push(...wrapParagraph(`${story.number}. ${story.headline.toUpperCase()}`, TEXT_WIDTH, '', '   '));
  out.push(...wrapParagraph(story.coverageLine, TEXT_WIDTH, '   '));
  out.push(...linkLine(story.url, '   '));
  if (story.followUp) {
    out.push('');
    out.push(
      ...wrapParagraph(
        `Follow-up to "${story.followUp.headline}", ${story.followUp.dayLabel}`,
        TEXT_WIDTH,
        '   ',
      ),
    );
    out.push(...linkLine(story.followUp.url, '   '));
  }
  for (const sentence of story.summary) {
    out.push('');
    out.push(...wrapParagraph(`${sentence.text} (${sentence.source.name})`, TEXT_WIDTH, '   '));
  }
  if (story.figures.length > 0) {
    out.push('', '   Key figures');
    for (const f of story.figures) {
      out.push(
        ...wrapParagraph(`- ${f.display} ${f.subject} (${f.source.name})`, TEXT_WIDTH, '   ', '     '),
      );
    }
  }
  for (const d of story.disagreements) {
    out.push('');
    out.push(...wrapParagraph(`${d.label}: ${d.quantity}`, TEXT_WIDTH, '   '));
    for (const f of d.figures) {
      out.push(...wrapParagraph(`- ${f.source.name}: ${f.display} ${f.subject}`, TEXT_WIDTH, '   ', '     '));
      out.push(...linkLine(f.source.url, '     '));
    }
  }
  if (story.alsoReportedLabel) {
    out.push('');
    out.push(...wrapParagraph(`${story.alsoReportedLabel}:`, TEXT_WIDTH, '   '));
    for (const o of story.alsoReported) {
      out.push(...wrapParagraph(`- ${o.name}`, TEXT_WIDTH, '   ', '     '));
      out.push(...linkLine(o.url, '     '));
    }
  }
  if (story.sourceList.length > 0) {
    out.push('');
    for (const src of story.sourceList)
      out.push(...wrapParagraph(`${src.label}: ${src.title}`, TEXT_WIDTH, '   ', '     '));
  }
  return out;
}

/** Renders the plain-text body (with the per-subscriber placeholders still in it). */
export function renderPlainText(view: BriefingView): string {
  const out: string[] = [];
  out.push(...wrapParagraph(view.brand.name.toUpperCase()));
  out.push(...wrapParagraph(`${view.dateLabel} · ${view.storyCountLabel}`));
  out.push(RULE);
  if (view.storyCount === 0) {
    out.push('', 'No new stories today.');
  }
  for (const story of view.stories) {
    out.push('', ...storyText(story), '', THIN_RULE);
  }
  if (view.moreStories.length > 0) {
    out.push('', 'MORE STORIES');
    for (const h of view.moreStories) {
      out.push(...wrapParagraph(`${h.number}. ${h.headline} (${h.coverageLabel})`, TEXT_WIDTH, '', '   '));
      out.push(...linkLine(h.url, '   '));
    }
    if (view.unlistedLabel) out.push(...wrapParagraph(`... ${view.unlistedLabel}.`));
    out.push('', THIN_RULE);
  }
  out.push('');
  if (view.archiveUrl) out.push('Read this briefing on the web:', `<${view.archiveUrl}>`, '');
  out.push(...wrapParagraph(view.footer.whyYouGetThis));
  out.push(...wrapParagraph(`This briefing was sent to ${view.footer.subscriberEmail}.`));
  out.push('', 'Unsubscribe with one click:', `<${view.footer.unsubscribeUrl}>`, '');
  if (view.footer.preferencesUrl) {
    out.push('Choose how often and when it arrives:', `<${view.footer.preferencesUrl}>`, '');
  }
  out.push(...wrapParagraph(view.footer.contactLine));
  out.push(...wrapParagraph(view.footer.senderAddress));
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n')}\n`;
}
