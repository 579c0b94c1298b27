/**
 * Whether a figure can be shown on its own: a reader sees "4,500 Russian troops", not the sentence,
 * so the words after the number must name what was counted or measured. Dropped: numbers that are
 * part of a name ("Apollo 11", "Hwasong-12", a link), subjects that are a unit or a time ("2 miles",
 * "25 years", "30 times"), a word like "others" or a verb ("10 others", "51 taken"), and percentages
 * that do not say what they are a percentage of ("3.9 per cent", "2.0 per cent dip"). Showing fewer
 * is better than showing junk.
 */

/** Units of measure, time and repetition: a subject that starts with one says how much, not of what. */
const UNIT_WORDS: ReadonlySet<string> = new Set(
  (
    'second seconds sec secs minute minutes min mins hour hours hr hrs day days night nights week weeks ' +
    'month months year years decade decades century centuries time times ' +
    'mile miles km kms kilometer kilometers kilometre kilometres meter meters metre metres cm mm ' +
    'foot feet ft yard yards inch inches kg kgs kilogram kilograms gram grams pound pounds lb lbs ' +
    'ton tons tonne tonnes mph kph degree degrees acre acres hectare hectares gallon gallons litre litres ' +
    'liter liters barrel barrels light-years light-year percent per cent ' +
    // Currencies: "40 million shekels" says how much money, not what it pays for.
    'dollar dollars euro euros pound pounds yen yuan renminbi rupee rupees rouble roubles ruble rubles ' +
    'shekel shekels peso pesos franc francs lira lire krona kronor krone kroner rand ringgit baht dinar ' +
    'dinars dirham dirhams riyal riyals zloty forint ' +
    'innings rounds laps overs sets quarters halves periods'
  ).split(' '),
);

/**
 * Words that stand where the counted thing should be: what they count is named elsewhere ("10
 * others", "5 more", "a year"), or they describe a change ("higher", "likely").
 */
const NOT_A_THING: ReadonlySet<string> = new Set(
  (
    'other others more less fewer each every higher lower likely up down away later earlier ago old ' +
    'long overall total part year annually a an'
  ).split(' '),
);

/** Words that end a subject mid-phrase: a particle or a part of a predicate ("1,500 nationals away"). */
const DANGLING_LAST_WORDS: ReadonlySet<string> = new Set('away part off out up down back'.split(' '));

/** Past participles that do not end in "-ed" ("children" and "women" end in "-en" too). */
const IRREGULAR_PARTICIPLES: ReadonlySet<string> = new Set(
  (
    'hurt shot held left fled lost seen hit struck slain caught sent kept found put cut set taken given ' +
    'driven written stolen beaten broken chosen fallen hidden risen shaken spoken thrown eaten frozen ' +
    'proven shown known grown drawn flown born borne sworn ' +
    // Irregular past tenses that are not also nouns: "83 MPs gave", "12 people thought".
    'gave told said made thought brought bought sought taught felt heard meant paid laid led sold stood ' +
    'took went came became began ran wrote rode rose spoke stole swore threw wore woke drove ate fled ' +
    'flew forgot froze got grew hid knew sang sank slept spent fought won'
  ).split(' '),
);

/** A past tense or participle: "killed", "taken", "fled". */
function isVerbForm(word: string): boolean {
  return /^[a-z]{3,}ed$/.test(word) || IRREGULAR_PARTICIPLES.has(word);
}

/**
 * True when a subject of several words runs on into its predicate: it ends on a verb ("84 people
 * taken", "100 civil society groups urged") or a possessive waiting for its noun, or holds a
 * participle clause ("27 Merlin engines powering the Heavy's"). The count is then named only with a
 * piece of the sentence the reader does not see.
 */
function runsIntoPredicate(words: readonly string[]): boolean {
  if (words.length < 2) return false;
  const last = (words.at(-1) ?? '').toLowerCase();
  if (DANGLING_LAST_WORDS.has(last) || /['’]s?$/.test(last)) return true;
  if (isVerbForm(last)) return true;
  return words.slice(1).some((w) => /^[a-z]{2,}ing$/.test(w));
}

/** Fragments of links, handles and markup: "pic twitter com", "https". */
const LINK_WORDS = /^(?:pic|com|www|http|https|html)$/i;

/** A subject that is a date: "31 October", "Tuesday morning". */
const CALENDAR_WORD =
  /^(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|monday|tuesday|wednesday|thursday|friday|saturday|sunday)$/i;

/** Nouns that number a sequence: the number after them is a label ("flight 175", "season 2"). */
const SEQUENCE_NOUN =
  /^(?:flight|season|game|episode|series|route|gate|version|model|expedition|no\.?|number)$/i;

/**
 * A preposition right after a count: what follows is where or whose, not what was counted ("a city of
 * over 700,000 in the state", "63 from Amazon accounts").
 */
const PREPOSITION_AFTER = /^\s*(?:in|on|at|from|to|for|by|with|into|per|across|over|under)\s/i;

export interface FigureInContext {
  /** The number as written ("4,500", "$1.13bn", "30 %"). */
  readonly display: string;
  /** Words after the number read as its subject (figures.ts subjectAfter). */
  readonly subject: string;
  /** The sentence before and after the number. */
  readonly before: string;
  readonly after: string;
  /** The quantity recognised in its clause ("deaths", "refugees"), or null (figures.ts CATEGORIES). */
  readonly quantity: string | null;
}

/** True when the number is part of a name, a model or a link rather than a quantity. */
function isPartOfName(f: FigureInContext): boolean {
  // A number with a glued "m" and no currency is a length in metres: "60m hurdles", "a 40m well".
  if (/^[\d.,]+m$/.test(f.display)) return true;
  // A rank or a denominator, not a count: "the top 100 list", "six out of 20 women".
  if (/\b(?:top|out of)\s+$/i.test(f.before)) return true;
  // Glued to a letter, a hyphen or a link on either side: "F-15K", "PS4", "54B", "t.co/2q…", "#HA446".
  // A colon or apostrophe before it is a time or a name ("11:36", "Chang’e 1" as "Change’1").
  if (/[\p{L}\p{N}\-/#@.:'’]$/u.test(f.before) && !/^[$£€]/.test(f.display)) return true;
  if (/^[\p{L}\p{N}]/u.test(f.after)) return true;
  // A one-letter scale in capitals glued to a bare number is a model or a format: "2K", "15M".
  if (/^\d+[KM]$/.test(f.display)) return true;
  // The tail of a number split at its thousands separator ("1, 600 officers").
  if (/\d,\s$/.test(f.before)) return true;
  // A bare number after a capitalised word inside the sentence: "Apollo 11", "Season 4", "Flight 175".
  if (/^\d+$/.test(f.display)) {
    const m = /(\S+)\s+$/.exec(f.before);
    const previous = m?.[1] ?? '';
    const sentenceStart = f.before.slice(0, m?.index ?? 0).trim() === '';
    if (!sentenceStart && /^\p{Lu}/u.test(previous)) return true;
    if (SEQUENCE_NOUN.test(previous)) return true;
  }
  return false;
}

/**
 * Prepositions and verbs that, right after a number and before its subject, make the number the
 * object or subject of that word, so the noun after names something else: "£500,000 to Lord
 * Ashcroft", "$1.29 against the euro", "100 is the abacus". A partitive "of" ("21 of the schoolgirls")
 * and, for money, what it is counted in or per ("$51 billion in annual revenue", "$82 per share") do not.
 */
const BREAKS_COUNT_FROM_NOUN: ReadonlySet<string> = new Set(
  (
    'in on at from to for by with into onto per across over under against toward towards about between ' +
    'through during within without upon is was are were has have had be been will would can could may might'
  ).split(' '),
);
const MONEY_TO_NOUN: ReadonlySet<string> = new Set(['in', 'per']);

/** True when no word between the number and its subject breaks the one from the other (above). */
function subjectFollowsNumber(f: FigureInContext, money: boolean): boolean {
  const first = f.subject.split(/\s+/)[0] ?? '';
  for (const w of f.after.split(/[^\p{L}\p{N}'’-]+/u)) {
    if (w === '') continue;
    if (w === first) return true;
    const lower = w.toLowerCase();
    if (BREAKS_COUNT_FROM_NOUN.has(lower) && !(money && MONEY_TO_NOUN.has(lower))) return false;
  }
  return true;
}

/** True when the figure's subject names what was counted or measured (see the module note). */
export function isReadableFigure(f: FigureInContext): boolean {
  if (isPartOfName(f)) return false;
  const percent = /%|per ?cent/i.test(f.display);
  // A percentage needs what it is a percentage of: "90 percent of North Korea's external trade", not
  // "of the time".
  if (percent) return /^\s*of\s+(?!(?:the\s+)?time\b)\S/i.test(f.after) && f.subject !== '';
  const money = /^[$£€]/.test(f.display);
  if (!subjectFollowsNumber(f, money)) return false;
  // "per" opens a rate: "$82 per Qualcomm share" is measured per share.
  const words = f.subject.split(/\s+/).filter((w) => w !== '' && !(money && w.toLowerCase() === 'per'));
  const first = (words[0] ?? '').toLowerCase();
  if (words.length === 0 || UNIT_WORDS.has(first) || NOT_A_THING.has(first) || CALENDAR_WORD.test(first))
    return false;
  if (words.some((w) => LINK_WORDS.test(w) || /\d/.test(w) || (w.length > 1 && w === w.toUpperCase())))
    return false;
  // A verb or an adverb is not the thing ("51 taken", "2.5 million previously disclosed").
  if (isVerbForm(first) || /^[a-z]+ly$/.test(first) || first.length < 2) return false;
  // A verb that says what happened to those counted ("2 million Ukrainians fled", "130 people died")
  // names the quantity, and completes the figure.
  if (runsIntoPredicate(words) && f.quantity === null) return false;
  // Money needs what it pays for or measures, in more than one word: "$51 billion annual revenue",
  // not "$5 billion hit" or "$70 per share".
  if (money) return words.length >= 2;
  return !PREPOSITION_AFTER.test(f.after);
}
