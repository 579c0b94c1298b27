/**
 * A story's headline: the member title that best covers what the pooled articles say, or the
 * first summary sentence when no member has a title.
 */
import type { SummarySentence } from '../types.ts';
import type { Sentence } from './sentences.ts';
import { contentTerms } from './stemming.ts';
import type { SummarySource } from './summarise.ts';

/** Titles shorter than this many words ("Update", "LIVE") are labels, not headlines. */
export const MIN_STORY_HEADLINE_WORDS = 3;
/** Titles longer than this are usually a first paragraph mistaken for a title. */
export const MAX_STORY_HEADLINE_WORDS = 24;

export function chooseHeadline(
  sources: readonly SummarySource[],
  summary: readonly SummarySentence[],
  analysed?: readonly (readonly Sentence[])[],
): string {
  const df = new Map<string, number>();
  sources.forEach((s, i) => {
    const terms = new Set(contentTerms(s.title ?? ''));
    const sentences = analysed?.[i];
    if (sentences) for (const sentence of sentences) for (const t of sentence.terms.keys()) terms.add(t);
    else for (const t of contentTerms(s.text)) terms.add(t);
    for (const t of terms) df.set(t, (df.get(t) ?? 0) + 1);
  });
  let best: { title: string; score: number } | null = null;
  for (const s of sources) {
    const title = s.title?.trim();
    if (!title) continue;
    const words = title.split(/\s+/).length;
    if (words < MIN_STORY_HEADLINE_WORDS || words > MAX_STORY_HEADLINE_WORDS) continue;
    const terms = new Set(contentTerms(title));
    if (terms.size === 0) continue;
    // Share of the title's words that other members also use: a title true to the whole story.
    let covered = 0;
    for (const t of terms) covered += (df.get(t) ?? 0) / sources.length;
    const score = covered / terms.size;
    if (!best || score > best.score) best = { title, score };
  }
  if (best) return best.title;
  const fallback = summary[0]?.text ?? sources[0]?.title ?? '';
  return headlineFromSentence(fallback);
}

/**
 * Sentence-derived headlines longer than this many words are shortened further: a headline is read
 * at a glance, and at 375 px a 20-word headline takes seven lines (a story whose members have no title
 * would otherwise carry its whole 40-word first sentence).
 */
export const MAX_SENTENCE_HEADLINE_WORDS = 16;
/**
 * What is left after dropping an introductory phrase or a trailing clause must be at least this long
 * to stand alone as a headline ("Talks resume" is a headline; "He said" is not).
 */
export const MIN_STANDALONE_CLAUSE_WORDS = 4;
/** An introductory phrase longer than this is more likely the sentence's own subject than a lead-in. */
export const MAX_INTRODUCTORY_WORDS = 12;

/** A short label before a colon ("Russia-Ukraine war: …", "STORY: …") is a rubric, not the news. */
const RUBRIC_PREFIX = /^[^:.!?]{1,40}:\s+(?=\p{Lu})/u;

/**
 * First words of a lead-in that sets the scene for the main clause ("Amid the fighting, …", "After
 * talks on Monday, …"). Left out on purpose: "if", "unless", "until" and "before", whose clause is a
 * condition or limit the main clause is false without ("If talks fail, Russia will invade"); and
 * "according", whose phrase is the attribution: without it a claim would read as the briefing's own.
 */
const INTRODUCTORY_OPENERS: ReadonlySet<string> = new Set(
  (
    'after amid amidst as ahead although at because by despite during following however in ' +
    'meanwhile on once over since speaking though under when while whilst with'
  ).split(' '),
);

/**
 * Words a main clause does not start with: what follows a comma and one of these is a relative clause
 * or the second half of a list or coordination, not a clause with its own subject.
 */
const NON_SUBJECT_STARTERS: ReadonlySet<string> = new Set(
  'and but or nor so then to that which who whom whose where said says told'.split(' '),
);
/**
 * Conjunctions that make what follows them a subordinate clause: text starting with one ("Since the
 * moon is at perigee") is not a main clause, however many verbs it has.
 */
const SUBORDINATORS: ReadonlySet<string> = new Set(
  'since when whenever as while whilst because although though if unless until whereas before after once'.split(
    ' ',
  ),
);
/**
 * Pronouns whose referent is usually named in the lead-in ("When Google launched its phone, it
 * included …"): dropping the lead-in would leave the headline about nobody.
 */
const PRONOUN_SUBJECTS: ReadonlySet<string> = new Set(
  'it its he his she her they their them this these those there we our i you'.split(' '),
);

/**
 * Where a trailing subordinate clause or aside begins: a sub-editor keeps the main clause before it.
 * Not ", according to": that is who says so, and a headline must not state a claim as fact. "As" is a break only as a conjunction: ", as well as", "quoted …, as saying" and
 * "hailed her, 16, as an icon" continue the main clause. A spaced hyphen stands in for a dash.
 */
const TRAILING_CLAUSE_BREAK =
  /,\s+(?:even as|as(?!\s+(?:well|much|many|saying|a|an|one|part|if|though|such|soon|long|far|of)\b)|while|whilst|whereas|after|amid|despite|which|who|saying|adding)\b|\s+[—–-]\s+/giu;

/**
 * Finite verbs common in news ledes that do not end in "-ed": the evidence that a piece of a sentence
 * is a clause (has a verb), not a phrase. Regular past tenses are recognised by their ending.
 */
const FINITE_VERBS: ReadonlySet<string> = new Set(
  (
    'is are was were has have had will would can could may might must should shall did does do ' +
    'said says told tells made makes took takes met meets went goes came comes began begins fell falls ' +
    'rose rises won wins lost loses left leaves held holds gave gives saw sees got gets sent sends hit ' +
    'hits struck strikes fled flees ran runs kept keeps led leads paid pays sold sells found finds brought ' +
    'brings spoke speaks warns calls urges plans vows agrees faces seeks wants claims denies launches ' +
    'announces confirms reports accuses threatens opens signs backs rejects approves orders kills blames'
  ).split(' '),
);
/** Words ending in "-ed" that are not past tenses. */
const NOT_PAST_TENSE: ReadonlySet<string> = new Set(
  'hundred sacred naked wicked beloved red bed shed'.split(' '),
);

function wordsOf(text: string): string[] {
  return text.trim().split(/\s+/).filter(Boolean);
}

/** True when the words hold a likely finite verb: a clause, not a noun phrase or a list item. */
export function hasFiniteVerb(words: readonly string[]): boolean {
  return words.some((raw) => {
    const w = raw.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
    const lower = w.toLowerCase();
    if (FINITE_VERBS.has(lower)) return true;
    // A capitalised "-ed" word is a name ("Ahmed"); a lower-case one is a past tense or participle.
    return /^[a-z]{3,}ed$/.test(w) && !NOT_PAST_TENSE.has(lower);
  });
}

/**
 * True when the text's quotations, brackets and dashed asides are closed: a cut must not leave one
 * open ("The man — a former minister who resigned" is not a clause).
 */
function pairsClosed(text: string): boolean {
  const count = (re: RegExp): number => (text.match(re) ?? []).length;
  return (
    count(/"/g) % 2 === 0 &&
    count(/“/g) === count(/”/g) &&
    count(/\(/g) === count(/\)/g) &&
    count(/\s[—–-]\s/g) % 2 === 0
  );
}

/** True when the text can stand alone as a headline: long enough, with a verb, no open quotation. */
function standsAlone(text: string): boolean {
  const words = wordsOf(text);
  const first = words[0]?.toLowerCase() ?? '';
  // "Since the moon is at perigee", "Using a technique called …": a subordinate or participial
  // phrase, whose main clause is the part that would be cut.
  if (SUBORDINATORS.has(first) || /^\p{L}+ing$/u.test(first)) return false;
  return words.length >= MIN_STANDALONE_CLAUSE_WORDS && hasFiniteVerb(words) && pairsClosed(text);
}

/** Drops a rubric before a colon ("Russia-Ukraine war: …") when what follows is a headline's length. */
export function dropRubric(text: string): string {
  const withoutRubric = text.replace(RUBRIC_PREFIX, '');
  return wordsOf(withoutRubric).length >= MIN_STORY_HEADLINE_WORDS ? withoutRubric : text;
}

/**
 * Drops a lead-in phrase up to the first comma ("Amid the ongoing fight intensifying, Russia and
 * Ukraine agreed …" -> "Russia and Ukraine agreed …"): the main clause is the news. Only when the
 * phrase opens with a scene-setting word (INTRODUCTORY_OPENERS) and what follows starts a clause of
 * its own: a subject, then a verb before the next comma (so "In Kyiv, Kharkiv and Odesa, …" stays).
 */
export function dropIntroductoryPhrase(text: string): string {
  const comma = text.indexOf(',');
  if (comma < 0) return text;
  const intro = wordsOf(text.slice(0, comma));
  const opener = intro[0]?.toLowerCase() ?? '';
  if (!INTRODUCTORY_OPENERS.has(opener) || intro.length > MAX_INTRODUCTORY_WORDS) return text;
  if (!pairsClosed(text.slice(0, comma))) return text;
  const rest = text.slice(comma + 1).trim();
  const firstSegment = wordsOf(rest.split(',')[0] ?? '');
  const starter = firstSegment[0]?.toLowerCase() ?? '';
  if (NON_SUBJECT_STARTERS.has(starter) || SUBORDINATORS.has(starter) || PRONOUN_SUBJECTS.has(starter))
    return text;
  if (!hasFiniteVerb(firstSegment)) return text;
  if (wordsOf(rest).length < MIN_STANDALONE_CLAUSE_WORDS) return text;
  return rest;
}

/**
 * Cuts a trailing subordinate clause or aside (", even as Putin said …", " — one day after …") at the earliest break whose main clause stands alone.
 */
export function dropTrailingClause(text: string): string {
  // A question cut short is a fragment ("Is it any coincidence that the papers"): keep it whole.
  if (/\?["'”’)]*$/.test(text)) return text;
  for (const m of text.matchAll(TRAILING_CLAUSE_BREAK)) {
    if (isEmbeddedAside(text.slice(m.index + m[0].length))) continue;
    const kept = text.slice(0, m.index).replace(/[\s,;:]+$/, '');
    if (standsAlone(kept)) return kept;
  }
  return text;
}

/**
 * True when the clause after a break is an aside inside the main clause, not its tail: it closes
 * with a comma or dash and the main clause's verb follows ("Putin said the offensive, which began
 * Thursday, was going to plan"). Cutting there would leave the main clause without its verb.
 */
function isEmbeddedAside(afterBreak: string): boolean {
  const close = afterBreak.search(/,|\s[—–-]\s/);
  if (close < 0) return false;
  const next = afterBreak
    .slice(close)
    .replace(/^(?:,|\s[—–-]\s)\s*/, '')
    .split(/\s+/)[0];
  return next !== undefined && next !== '' && hasFiniteVerb([next]);
}

/** Upper-cases the first letter, which a dropped lead-in or rubric leaves in lower case. */
export function capitaliseFirst(text: string): string {
  return text.replace(/^(\P{L}*)(\p{Ll})/u, (_, lead: string, letter: string) => lead + letter.toUpperCase());
}

/**
 * Where a coordinated phrase or clause can be dropped from a long main clause without the rest
 * changing meaning: " and"/" but" followed by a preposition, "to" or a verb ("agreed to create
 * corridors for civilians to evacuate and for supplies to be delivered"). A noun after "and" ("the
 * mayor and his deputy", "between Moscow and Kyiv") is part of one phrase, so it is not a break.
 */
const COORDINATED_PHRASE = /\s+(?:and|but)\s+(?=(?:for|to|in|on|at|with|from|by|after|before|during)\s)/giu;

/**
 * Drops the last coordinated phrase (COORDINATED_PHRASE) that brings a long main clause within
 * MAX_SENTENCE_HEADLINE_WORDS, when what is kept stands alone: a whole statement, no ellipsis.
 */
export function dropTrailingConjunct(text: string): string {
  if (wordsOf(text).length <= MAX_SENTENCE_HEADLINE_WORDS) return text;
  let kept = text;
  for (const m of text.matchAll(COORDINATED_PHRASE)) {
    const before = text.slice(0, m.index);
    if (wordsOf(before).length > MAX_SENTENCE_HEADLINE_WORDS) break;
    if (standsAlone(before)) kept = before;
  }
  return kept;
}

/**
 * Words a phrase starts with: an ellipsis cut before one of them ends the headline on a whole phrase
 * ("… for peace talks…"), not inside one ("… that kicked off at…"). "To" and "as" are left out:
 * they are as often inside a phrase ("up to 400,000", "such as Microsoft") as at its start.
 */
const PHRASE_OPENERS: ReadonlySet<string> = new Set(
  'and but or that which who for at in on with from by after before during over into under against through across'.split(
    ' ',
  ),
);

/**
 * Cuts a headline still too long after compression at a word boundary, preferring a phrase boundary
 * (after a comma, or before a PHRASE_OPENERS word) in the second half of the budget, and marks the
 * cut with an ellipsis.
 */
export function cutToHeadlineLength(text: string): string {
  const words = wordsOf(text);
  if (words.length <= MAX_SENTENCE_HEADLINE_WORDS) return text.trim();
  let cut = MAX_SENTENCE_HEADLINE_WORDS;
  for (let i = MAX_SENTENCE_HEADLINE_WORDS; i > MAX_SENTENCE_HEADLINE_WORDS / 2; i--) {
    if (/[,;]$/.test(words[i - 1] ?? '') || PHRASE_OPENERS.has(words[i]?.toLowerCase() ?? '')) {
      cut = i;
      break;
    }
  }
  return `${words
    .slice(0, cut)
    .join(' ')
    .replace(/[,;:]$/, '')}…`;
}

/**
 * Turns a summary sentence into a headline when no member has a usable title, as a sub-editor would:
 * its main clause, verbatim (rubric, lead-in, trailing clause and, if still long, a trailing
 * coordinated phrase dropped), cut with an ellipsis only if that is still too long.
 */
export function headlineFromSentence(sentence: string): string {
  const mainClause = dropTrailingClause(dropIntroductoryPhrase(dropRubric(sentence.trim())));
  return capitaliseFirst(cutToHeadlineLength(dropTrailingConjunct(mainClause)));
}
