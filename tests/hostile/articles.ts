/**
 * Generated news articles for the hostile, fault and load tests: real-length plain-text articles, each
 * with its own town, people, figures and date, built from sentence templates with a seeded random
 * generator so every run sees the same texts. They are templated copy, not distinct events as the
 * clusterer sees them: articles of one facility kind (every 25th index: "tram line", "bus depot")
 * share the kind, most of their sentences and their organisations, while their own names appear once
 * or twice each, so the clusterer joins them into one story per kind (see load.test.ts).
 */
import { MONTHS, WEEKDAYS } from '../../functions/core/render/dates.ts';
import { seededRandom } from '../support/random.ts';

/** Town names are made from a prefix and a suffix, so 2,000+ events each get a town of their own. */
const TOWN_PREFIXES = [
  'Ash',
  'Bram',
  'Carn',
  'Dun',
  'Elm',
  'Fern',
  'Glen',
  'Hal',
  'Ivy',
  'Kel',
  'Lang',
  'Mar',
  'Nor',
  'Oak',
  'Pen',
  'Rav',
  'Sel',
  'Thorn',
  'Ulver',
  'Wes',
  'Yar',
  'Brook',
  'Cold',
  'Dray',
  'Eas',
  'Fal',
  'Grim',
  'Hart',
  'Ink',
  'Kirk',
  'Lud',
  'Mow',
  'Nether',
  'Orm',
  'Pol',
  'Quar',
  'Rother',
  'Stan',
  'Tod',
  'Whit',
  'Alder',
  'Bel',
  'Cher',
  'Dal',
  'Ever',
  'Frod',
  'Gal',
  'Hex',
  'Ick',
  'Jar',
];
const TOWN_SUFFIXES = [
  'ford',
  'ton',
  'bury',
  'wick',
  'ham',
  'mouth',
  'thorpe',
  'by',
  'stead',
  'field',
  'ley',
  'combe',
  'dale',
  'minster',
  'chester',
  'borough',
  'haven',
  'moor',
  'well',
  'worth',
  'bridge',
  'cross',
  'gate',
  'holme',
  'hurst',
  'kirk',
  'mere',
  'ness',
  'port',
  'shaw',
  'side',
  'stow',
  'thwaite',
  'wold',
  'wood',
  'burn',
  'brook',
  'cliffe',
  'den',
  'end',
  'fold',
  'grove',
  'heath',
  'low',
  'marsh',
];

/** The town of event `index`: unique for the first 2,250 indices. */
export function townOf(index: number): string {
  const prefix = TOWN_PREFIXES[index % TOWN_PREFIXES.length] as string;
  const suffix = TOWN_SUFFIXES[Math.floor(index / TOWN_PREFIXES.length) % TOWN_SUFFIXES.length] as string;
  return `${prefix}${suffix}`;
}

const SYLLABLES = [
  'ba',
  'ric',
  'mon',
  'tel',
  'vas',
  'do',
  'lin',
  'gar',
  'sku',
  'fen',
  'ral',
  'quo',
  'zem',
  'har',
  'pol',
  'nik',
  'sur',
  'wen',
  'tob',
  'lai',
  'kes',
  'mur',
  'dov',
  'ans',
];

/** A made-up surname, so the people quoted differ from one event to the next. */
function surname(random: () => number): string {
  const parts = 2 + Math.floor(random() * 2);
  let name = '';
  for (let i = 0; i < parts; i++) name += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
  return name.charAt(0).toUpperCase() + name.slice(1);
}

const SUBJECTS = [
  'tram line',
  'library',
  'swimming pool',
  'hospital wing',
  'ferry terminal',
  'wind farm',
  'bus depot',
  'flood barrier',
  'concert hall',
  'primary school',
  'cycle bridge',
  'water treatment plant',
  'museum',
  'railway station',
  'housing estate',
  'sports stadium',
  'fire station',
  'market hall',
  'science park',
  'harbour wall',
  'recycling centre',
  'city archive',
  'botanical garden',
  'ice rink',
  'court building',
];
const ACTIONS = [
  ['opened', 'opening'],
  ['closed', 'closure'],
  ['reopened', 'reopening'],
  ['expanded', 'expansion'],
  ['sold', 'sale'],
  ['evacuated', 'evacuation'],
  ['repaired', 'repair'],
  ['approved', 'approval'],
  ['delayed', 'delay'],
  ['inspected', 'inspection'],
] as const;
const FIRST = [
  'Amira',
  'Bernard',
  'Chloe',
  'Dmitri',
  'Esther',
  'Farid',
  'Gwen',
  'Hamish',
  'Ines',
  'Jonah',
  'Keira',
  'Lionel',
  'Maja',
  'Nikhil',
  'Orla',
  'Pavel',
  'Rosa',
  'Stellan',
  'Tamsin',
  'Umar',
  'Vera',
  'Wendell',
];
const ROLES = [
  'council leader',
  'project manager',
  'union representative',
  'local MP',
  'head of operations',
  'chief engineer',
  'resident spokesperson',
  'finance director',
  'site supervisor',
  'regional inspector',
];
const ORGS = [
  'the city council',
  'the regional transport authority',
  'the health board',
  'the port trust',
  'a local residents group',
  'the environment agency',
  'the chamber of commerce',
  'the national lottery fund',
  'a private developer',
  'the fire and rescue service',
];

type Slots = Record<string, string>;

const SENTENCES: readonly ((s: Slots) => string)[] = [
  (s) =>
    `${s.person}, the ${s.role}, said the decision had been discussed for ${s.n1} months before it was taken.`,
  (s) => `About ${s.n2} people were affected, according to figures published by ${s.org}.`,
  (s) => `Work on the ${s.subject} had cost roughly £${s.n3} million, well above the original estimate.`,
  (s) =>
    `"We have listened carefully to everyone involved," ${s.person2} told reporters outside the building.`,
  (s) => `Critics argued that ${s.org2} had ignored warnings raised by engineers as early as ${s.year0}.`,
  (s) => `The ${s.subject} first opened its doors in ${s.year1} and was last refurbished in ${s.year2}.`,
  (s) =>
    `Local businesses near ${s.street} Street reported a ${s.pct} per cent change in footfall during the week.`,
  (s) =>
    `A public meeting is planned at the ${s.venue} in ${s.city} next month to answer questions from residents.`,
  (s) => `${s.person2} said a further review would be published before the end of ${s.month2}.`,
  (s) => `Campaigners from ${s.org2} handed in a petition signed by ${s.n4} people calling for a rethink.`,
  (s) =>
    `Police closed ${s.street} Road for ${s.n5} hours while crews secured the area around the ${s.subject}.`,
  (s) => `The ${s.action2} is expected to affect services in ${s.city2} and ${s.city3} as well.`,
  (s) => `Officials said contractors from ${s.firm} would remain on site until the autumn.`,
  (s) => `In a statement, ${s.org} said safety had been the overriding concern throughout the process.`,
  (s) =>
    `Opposition councillors described the handling of the ${s.action2} as chaotic and demanded an inquiry.`,
  (s) => `Figures released on ${s.weekday2} showed that ${s.n6} complaints had been lodged since ${s.month}.`,
  (s) => `${s.person} added that staff had worked through the weekend to keep disruption to a minimum.`,
  (s) => `Visitors were advised to check the ${s.city} website before travelling to the ${s.subject}.`,
  (s) => `A spokesperson for ${s.firm} declined to comment on the contract while talks continue.`,
  (s) => `The government said it would contribute £${s.n7} million towards the cost of the ${s.action2}.`,
  (s) => `Residents on ${s.street} Avenue said they had noticed cracks in nearby walls for several years.`,
  (s) => `The ${s.role2} called the ${s.action2} a turning point for the ${s.district} district.`,
  (s) => `Analysts at ${s.firm2} estimated the local economy could gain ${s.n8} jobs over five years.`,
  (s) => `Schoolchildren from ${s.district} planted ${s.n4} trees along the approach to the ${s.subject}.`,
  (s) => `Rail operators added ${s.n5} extra services to cope with demand from ${s.city2}.`,
  (s) => `The ${s.subject} will host an open day on the first ${s.weekday2} of ${s.month2}.`,
  (s) => `Insurance assessors from ${s.firm2} arrived on ${s.weekday2} to inspect the damage.`,
  (s) =>
    `${s.person2} said the ${s.action2} showed what ${s.city} could achieve when people worked together.`,
];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function shuffled<T>(random: () => number, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

export interface GeneratedArticle {
  readonly title: string;
  readonly body: string;
  /** The event's date, `YYYY-MM-DD`, stated in the first sentence. */
  readonly day: string;
  /** The whole file: title line, blank line, paragraphs. */
  readonly text: string;
}

/** Day offsets from this date spread the generated events over `days` consecutive days. */
const FIRST_DAY = Date.UTC(2022, 2, 1);

/**
 * Article number `index` (distinct indices give distinct texts, never near-copies of each other).
 * `days` spreads the articles over that many consecutive days from 1 March 2022, so a batch fills
 * several digests.
 */
export function generatedArticle(index: number, days = 7): GeneratedArticle {
  return eventReport(index, 0, days);
}

/** Seeds a report's own wording: apart from its event's names and figures, each report is written anew. */
const REPORT_SEED = 104_729;

/**
 * Report number `report` of event number `event`: every report of an event names the same place, people,
 * firms and figures, on the same day, but picks and orders its own sentences and title, so two reports of
 * one event are different articles (not near-copies) about the same event. Report 0 is
 * `generatedArticle(event)`.
 */
export function eventReport(event: number, report: number, days = 7): GeneratedArticle {
  const index = event;
  const random = seededRandom(index * 7919 + 17);
  const date = new Date(FIRST_DAY + (index % days) * 86_400_000);
  const day = date.toISOString().slice(0, 10);
  const city = townOf(index);
  const subject = SUBJECTS[index % SUBJECTS.length] as string;
  const [verb, noun] = ACTIONS[index % ACTIONS.length] ?? ACTIONS[0];
  const int = (lo: number, hi: number) => String(lo + Math.floor(random() * (hi - lo)));
  const slots: Slots = {
    city,
    subject,
    action2: noun,
    city2: townOf(Math.floor(random() * 2250)),
    city3: townOf(Math.floor(random() * 2250)),
    person: `${pick(random, FIRST)} ${surname(random)}`,
    person2: `${pick(random, FIRST)} ${surname(random)}`,
    role: pick(random, ROLES),
    role2: pick(random, ROLES),
    org: pick(random, ORGS),
    org2: pick(random, ORGS),
    firm: `${surname(random)} ${pick(random, ['Construction', 'Engineering', 'Partners', 'Group'])}`,
    firm2: `${surname(random)} & ${surname(random)}`,
    street: surname(random),
    venue: pick(random, ['town hall', 'community centre', 'corn exchange', 'guildhall', 'cathedral hall']),
    district: `${pick(random, ['North', 'East', 'West', 'South', 'Upper', 'Lower'])} ${surname(random)}`,
    month: pick(random, MONTHS),
    month2: pick(random, MONTHS),
    weekday2: pick(random, WEEKDAYS),
    year0: int(1995, 2020),
    year1: int(1890, 1990),
    year2: int(1991, 2021),
    n1: int(2, 40),
    n2: int(120, 98_000),
    n3: int(2, 900),
    n4: int(150, 45_000),
    n5: int(2, 72),
    n6: int(10, 5_000),
    n7: int(1, 300),
    n8: int(20, 4_000),
    pct: int(3, 60),
  };
  const dateline = `${WEEKDAYS[date.getUTCDay()]}, ${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()}`;
  const wording = report === 0 ? random : seededRandom(index * 7919 + 17 + report * REPORT_SEED);
  const title = `${city} ${subject} ${verb} after ${pick(wording, ['months of talks', 'a safety review', 'a public vote', 'storm damage', 'a funding row', 'an inspection'])} (report ${report === 0 ? index : `${index}.${report}`})`;
  const lead = `The ${subject} in ${city} was ${verb} on ${dateline}, ${slots.org} said, in a move that ${slots.person} called long overdue.`;
  const sentences = shuffled(wording, SENTENCES)
    .slice(0, 12 + Math.floor(wording() * 6))
    .map((template) => template(slots));
  const paragraphs = [lead];
  for (let i = 0; i < sentences.length; i += 3) paragraphs.push(sentences.slice(i, i + 3).join(' '));
  const body = paragraphs.join('\n\n');
  return { title, body, day, text: `${title}\n\n${body}\n` };
}
