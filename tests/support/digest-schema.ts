/**
 * A validator for the digest contract (DESIGN.md §3, schemaVersion 1). Returns the list of violations
 * (empty when the digest is valid), so a failing test shows every problem at once. Extra fields are
 * allowed, as the contract says.
 */

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_SOURCES = new Set(['metadata', 'text', 'story', 'arrival']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isDay(value: unknown): boolean {
  if (typeof value !== 'string' || !DAY.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

function nonEmptyString(value: unknown): boolean {
  return typeof value === 'string' && value.trim().length > 0;
}

export function validateDigest(digest: unknown): string[] {
  const errors: string[] = [];
  if (!isRecord(digest)) return ['the digest is not a JSON object'];
  if (digest.schemaVersion !== 1)
    errors.push(`schemaVersion is ${JSON.stringify(digest.schemaVersion)}, not 1`);
  if (!isDay(digest.date)) errors.push(`date ${JSON.stringify(digest.date)} is not a valid YYYY-MM-DD day`);
  if (!Array.isArray(digest.stories)) return [...errors, 'stories is not an array'];

  const storyIds = new Set<string>();
  const articleIds = new Set<string>();
  digest.stories.forEach((story: unknown, s) => {
    const at = `stories[${s}]`;
    if (!isRecord(story)) {
      errors.push(`${at} is not an object`);
      return;
    }
    if (!nonEmptyString(story.id)) errors.push(`${at}.id is not a non-empty string`);
    else if (storyIds.has(story.id as string)) errors.push(`${at}.id ${String(story.id)} is repeated`);
    else storyIds.add(story.id as string);
    if (!nonEmptyString(story.headline)) errors.push(`${at}.headline is not a non-empty string`);

    const members = new Set<string>();
    if (!Array.isArray(story.articles) || story.articles.length === 0) {
      errors.push(`${at}.articles is not a non-empty array`);
    } else {
      story.articles.forEach((article: unknown, a) => {
        const where = `${at}.articles[${a}]`;
        if (!isRecord(article)) {
          errors.push(`${where} is not an object`);
          return;
        }
        if (!nonEmptyString(article.id)) errors.push(`${where}.id is not a non-empty string`);
        else {
          if (articleIds.has(article.id as string))
            errors.push(`${where}.id ${String(article.id)} appears in two places`);
          articleIds.add(article.id as string);
          members.add(article.id as string);
        }
        if (!nonEmptyString(article.source)) errors.push(`${where}.source is not a non-empty string`);
        if (article.title !== null && typeof article.title !== 'string')
          errors.push(`${where}.title is neither a string nor null`);
        if (article.outlet !== null && typeof article.outlet !== 'string')
          errors.push(`${where}.outlet is neither a string nor null`);
        if (!isDay(article.publishedAt)) errors.push(`${where}.publishedAt is not a valid day`);
        if (!DATE_SOURCES.has(article.dateSource as string))
          errors.push(
            `${where}.dateSource ${JSON.stringify(article.dateSource)} is not one of ${[...DATE_SOURCES]}`,
          );
      });
    }

    if (!Array.isArray(story.summary)) errors.push(`${at}.summary is not an array`);
    else
      story.summary.forEach((sentence: unknown, i) => {
        const where = `${at}.summary[${i}]`;
        if (!isRecord(sentence)) {
          errors.push(`${where} is not an object`);
          return;
        }
        if (!nonEmptyString(sentence.text)) errors.push(`${where}.text is not a non-empty string`);
        if (!members.has(sentence.articleId as string))
          errors.push(`${where}.articleId ${JSON.stringify(sentence.articleId)} is not a member article`);
      });

    if (!Array.isArray(story.duplicates)) errors.push(`${at}.duplicates is not an array`);
    else
      story.duplicates.forEach((duplicate: unknown, i) => {
        const where = `${at}.duplicates[${i}]`;
        if (!isRecord(duplicate)) {
          errors.push(`${where} is not an object`);
          return;
        }
        if (!nonEmptyString(duplicate.source)) errors.push(`${where}.source is not a non-empty string`);
        if (!nonEmptyString(duplicate.duplicateOf))
          errors.push(`${where}.duplicateOf is not a non-empty string`);
        const similarity = duplicate.similarity;
        if (typeof similarity !== 'number' || !(similarity >= 0 && similarity <= 1))
          errors.push(`${where}.similarity ${JSON.stringify(similarity)} is not a number in [0, 1]`);
      });
  });
  return errors;
}
