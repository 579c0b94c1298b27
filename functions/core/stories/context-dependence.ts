/**
 * Whether a sentence's opening depends on an earlier sentence the reader may not have seen. Five
 * kinds of opening, each a closed class of words rather than a list of cases:
 * - a discourse connective that relates the sentence to the one before ("However", "As a result");
 * - a time anchored to an event told earlier ("Hours later", "The next day", "That night");
 * - an anaphoric subject or determiner ("He said", "Its", "Both", "Another", "The 42-year-old");
 * - a definite shell or role noun standing for what was said before ("The move comes…", "The company
 *   said"), unless a complement names it ("The decision to…", "The attack on…");
 * - a fronted partitive, contrastive topic or anaphoric phrase ("Of the major carmakers…", "Among
 *   them", "In France,", "Despite this").
 */

/** Optional opening quotation mark, then the opening words. */
const QUOTE = String.raw`^["'“‘(]?\s*`;

/** Connectives (Penn Discourse Treebank explicit connectives that open a sentence) and continuations. */
const CONNECTIVES = [
  'but',
  'and',
  'or',
  'so',
  'yet',
  'nor',
  'however',
  'also',
  'still',
  'meanwhile',
  'instead',
  'moreover',
  'furthermore',
  'additionally',
  'nevertheless',
  'nonetheless',
  'besides',
  'likewise',
  'similarly',
  'otherwise',
  'thus',
  'therefore',
  'hence',
  'consequently',
  'accordingly',
  'then',
  'later',
  'earlier',
  'afterwards?',
  'subsequently',
  'previously',
  'separately',
  'elsewhere',
  'indeed',
  'too',
  'again',
  'finally',
  'lastly',
  'secondly',
  'thirdly',
  'in fact',
  'in addition',
  'as a result',
  'as such',
  'in turn',
  'in contrast',
  'by contrast',
  'on the other hand',
  'at the same time',
  'even so',
  'even then',
  'for example',
  'for instance',
  'in response',
  'in return',
  'above all',
  "what's more",
  'for (?:his|her|its|their) part',
];

/** Units of a relative time ("hours later", "the next day"). */
const UNITS = '(?:moments?|seconds?|minutes?|hours?|days?|nights?|weeks?|months?|years?|decades?)';

const RELATIVE_TIME = [
  // "Hours later", "Two days earlier", "A week after", "Minutes before"
  String.raw`(?:(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|a few|few|many|some|\d+)\s+)?${UNITS}\s+(?:later|earlier|after|before|on)\b`,
  // "Shortly after", "Soon afterwards", "Moments after"
  String.raw`(?:shortly|soon|just|immediately|not long)\s+(?:after|afterwards?|before|later|earlier|then)\b`,
  // "The next day", "The following week", "The same night", "That morning", "Within hours"
  String.raw`(?:the\s+)?(?:next|following|same|previous|preceding)\s+(?:day|night|morning|afternoon|evening|week|month|year|weekend)\b`,
  String.raw`(?:that|the)\s+(?:day|night|morning|afternoon|evening|week|weekend)\b(?!\s+(?:of|before|after|when)\b)`,
  String.raw`within\s+${UNITS}\b`,
  String.raw`(?:since|by|until|till|before|after)\s+(?:then|that|this)\b`,
  String.raw`at the time\b`,
];

/** Subjects and determiners that point back: personal, possessive and demonstrative pronouns and their kin. */
const ANAPHORS = [
  'he',
  'she',
  'they',
  'it',
  'its',
  "it's",
  'his',
  'her',
  'their',
  'them',
  // "This week" and its kin point at the publication date, not at an earlier sentence.
  String.raw`(?:this|these)(?!\s+(?:week|weekend|month|year|morning|afternoon|evening|summer|winter|spring|autumn|season)\b)`,
  'those',
  'that',
  'there',
  'such',
  'both',
  'neither',
  'either',
  'another',
  'others?',
  'here',
  'the latter',
  'the former',
  'the same',
  'the rest',
  'the remaining',
  'the others?',
  'the two',
  'the three',
  'the pair',
  '(?:a|the) (?:second|third|fourth|fifth|further)',
  String.raw`the \d+-year-old`,
];

/**
 * Shell nouns (Schmid 2000: nouns that stand for a proposition said elsewhere) and generic role
 * nouns: with "the" and no complement, each stands for something named before.
 */
const SHELL_NOUNS = [
  'move',
  'decision',
  'announcement',
  'statement',
  'comments?',
  'remarks?',
  'news',
  'incident',
  'attack',
  'shooting',
  'deal',
  'agreement',
  'plans?',
  'proposals?',
  'changes?',
  'measures?',
  'step',
  'report',
  'findings',
  'figures?',
  'results?',
  'ruling',
  'verdict',
  'case',
  'issue',
  'problem',
  'situation',
  'development',
  'claims?',
  'allegations?',
  'warning',
  'letter',
  'video',
  'footage',
  'post',
  'tweet',
  'message',
  'visit',
  'trip',
  'meeting',
  'talks',
  'row',
  'dispute',
  'investigation',
  'probe',
  'inquiry',
  'operation',
  'event',
  'effort',
  'idea',
  'request',
  'company',
  'firm',
  'group',
  'man',
  'woman',
  'men',
  'women',
  'boy',
  'girl',
  'couple',
  'victims?',
  'suspects?',
  'latter',
];

/** Words after a shell noun that give it its own content ("The decision to close…", "The attack on…"). */
const COMPLEMENT = String.raw`(?:of|to|that|by|from|in|on|for|at|against|with|between|over|into|which|who|whose|behind|about|under|near|outside|inside|,\s*which)\b`;

const MONTHS_AND_DAYS = String.raw`(?:January|February|March|April|May|June|July|August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b`;

const FRONTED = [
  // Partitives: "Of the major carmakers…", "Among them…"
  String.raw`(?:of|among|amongst)\s+(?:the|those|these|them|whom|which)\b`,
  // A preposition taking an anaphor: "Despite this", "Because of that", "Like him", "Unlike them"
  String.raw`(?:despite|because of|apart from|aside from|as well as|along with|together with|in addition to|like|unlike|following|after|before|without|with|given|due to|as a result of|on top of|in doing so|by doing so)\s+(?:this|that|these|those|it|them|him|her|which|such)\b`,
  // Fronted relative or interrogative words: "Which is why…", "Whose…"
  String.raw`(?:which|whose|whom)\b`,
  'in doing so',
  'by doing so',
  'to do so',
];

const CONTEXT_DEPENDENT_OPENING = new RegExp(
  `${QUOTE}(?:${[
    ...CONNECTIVES,
    ...RELATIVE_TIME,
    ...ANAPHORS,
    ...FRONTED,
    `the (?:${SHELL_NOUNS.join('|')})\\b(?!\\s+${COMPLEMENT})`,
  ].join('|')})(?![\\p{L}\\p{N}'’-])`,
  'iu',
);

/**
 * A contrastive topic: a short place or name fronted with a comma ("In France, …", "For Apple, …"),
 * one of several the article goes through. Case-sensitive, to know a name; a month or weekday is a
 * time, not a topic.
 */
const CONTRASTIVE_TOPIC = new RegExp(
  String.raw`^["'“‘(]?\s*(?:In|At|For|Across)\s+(?:the\s+)?(?!${MONTHS_AND_DAYS})\p{Lu}[\p{L}'’.-]*(?:\s+\p{Lu}[\p{L}'’.-]*){0,2},`,
  'u',
);

/**
 * A sentence that starts in lower case continues one that was cut (a quotation after its
 * attribution); a first word with a capital inside is a brand ("iPhone", "eBay").
 */
const LOWER_CASE_START = /^["'“‘(]?\s*\p{Ll}[\p{Ll}'’-]*(?![\p{L}\p{N}])/u;

/** True when the sentence's opening depends on an earlier sentence (see the kinds above). */
export function isContextDependent(sentence: string): boolean {
  const text = sentence.trim();
  return CONTEXT_DEPENDENT_OPENING.test(text) || CONTRASTIVE_TOPIC.test(text) || LOWER_CASE_START.test(text);
}
