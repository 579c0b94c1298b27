/**
 * Written dates in scripts chrono-node does not read: "الأربعاء، 07 أكتوبر 2020", "24 نيسان / أبريل 2020".
 * Arabic writes Gregorian months with two sets of names (the Egyptian/Maghreb loanwords and the
 * Levantine/Iraqi Syriac names), often both at once; digits may be Arabic-Indic or Persian.
 */
import type { Day } from '../types.ts';

/** Month names by month number (1-based index), both Arabic naming traditions. */
const ARABIC_MONTHS: ReadonlyArray<readonly string[]> = [
  ['يناير', 'كانون الثاني', 'جانفي'],
  ['فبراير', 'شباط', 'فيفري'],
  ['مارس', 'آذار'],
  ['أبريل', 'ابريل', 'إبريل', 'نيسان', 'أفريل'],
  ['مايو', 'أيار', 'ماي'],
  ['يونيو', 'حزيران', 'جوان'],
  ['يوليو', 'تموز', 'جويلية'],
  ['أغسطس', 'اغسطس', 'آب', 'أوت'],
  ['سبتمبر', 'أيلول'],
  ['أكتوبر', 'اكتوبر', 'تشرين الأول'],
  ['نوفمبر', 'تشرين الثاني'],
  ['ديسمبر', 'كانون الأول'],
];

const MONTH_OF = new Map<string, number>();
ARABIC_MONTHS.forEach((names, i) => {
  for (const name of names) MONTH_OF.set(name, i + 1);
});

/** Longest names first so "تشرين الأول" is not read as a shorter name. */
const MONTH_ALTERNATION = [...MONTH_OF.keys()].sort((a, b) => b.length - a.length).join('|');

const ARABIC_DATE = new RegExp(
  `(?<!\\d)(\\d{1,2})\\s*(${MONTH_ALTERNATION})(?:\\s*[/،,-]\\s*(?:${MONTH_ALTERNATION}))?\\s*[،,]?\\s*(\\d{4})(?!\\d)`,
  'u',
);

/** Arabic-Indic (U+0660…) and Persian (U+06F0…) digits to ASCII. */
export function asciiDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) => {
    const c = d.charCodeAt(0);
    return String(c >= 0x06f0 ? c - 0x06f0 : c - 0x0660);
  });
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** The first "day month year" written with Arabic month names, or null. */
export function arabicWrittenDate(text: string): Day | null {
  if (!/[\u0600-\u06ff]/.test(text)) return null;
  const m = ARABIC_DATE.exec(asciiDigits(text));
  if (!m) return null;
  const month = MONTH_OF.get(m[2]!);
  const day = Number(m[1]);
  const year = Number(m[3]);
  if (!month || day < 1 || new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) return null;
  return `${year}-${pad(month)}-${pad(day)}`;
}
