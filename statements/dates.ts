/** Calendar dates as ISO "YYYY-MM-DD" strings, validated by arithmetic (no Date, no time zones). */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "YYYY-MM-DD" when the numbers make a real calendar date (1000-9999), else undefined. */
export function calendarDate(year: number, month: number, day: number): string | undefined {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) return undefined;
  if (!Number.isInteger(month) || month < 1 || month > 12) return undefined;
  if (!Number.isInteger(day) || day < 1 || day > daysInMonth(year, month)) return undefined;
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

/** The text when it is exactly a real ISO date, else undefined. */
export function isoDate(text: string): string | undefined {
  const match = ISO_DATE.exec(text);
  return match ? calendarDate(Number(match[1]), Number(match[2]), Number(match[3])) : undefined;
}

/** The date part of an ISO date or date-time ("2024-01-31T23:59:59+01:00" → "2024-01-31"), as written: no time-zone shift. */
export function datePart(text: string): string | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})(?:$|T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?$|[+-]\d{2}:\d{2}$|Z$)/.exec(text);
  return match ? isoDate(match[1]!) : undefined;
}

/** Signed whole days from a to b (ISO dates). */
export function daysBetween(a: string, b: string): number {
  return dayNumber(b) - dayNumber(a);
}

function dayNumber(date: string): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  // Days since a fixed epoch by the proleptic Gregorian calendar (March-based year, so leap days come last).
  const y = month <= 2 ? year - 1 : year;
  const m = month <= 2 ? month + 9 : month - 3;
  return 365 * y + Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400) + Math.floor((153 * m + 2) / 5) + day;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

/**
 * Date layouts of CSV exports. Day and month may have one digit (M/D/YYYY is MM/DD/YYYY); a time
 * after the date is ignored. YY is read as 20YY.
 */
export const DATE_FORMATS = [
  'YYYY-MM-DD', 'DD.MM.YYYY', 'DD.MM.YY', 'DD-MM-YYYY', 'DD-MM-YY', 'DD/MM/YYYY', 'DD/MM/YY', 'MM/DD/YYYY', 'MM/DD/YY', 'MM-DD-YYYY', 'YYYY/MM/DD', 'YYYYMMDD',
] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

type Part = 'year' | 'month' | 'day';
const DAY_MONTH_YEAR: [Part, Part, Part] = ['day', 'month', 'year'];
const MONTH_DAY_YEAR: [Part, Part, Part] = ['month', 'day', 'year'];
const YEAR_MONTH_DAY: [Part, Part, Part] = ['year', 'month', 'day'];

const LAYOUTS: Record<DateFormat, { pattern: RegExp; order: [Part, Part, Part] }> = {
  'YYYY-MM-DD': { pattern: /^(\d{4})-(\d{1,2})-(\d{1,2})/, order: YEAR_MONTH_DAY },
  'DD.MM.YYYY': { pattern: /^(\d{1,2})\.(\d{1,2})\.(\d{4})/, order: DAY_MONTH_YEAR },
  'DD.MM.YY': { pattern: /^(\d{1,2})\.(\d{1,2})\.(\d{2})/, order: DAY_MONTH_YEAR },
  'DD-MM-YYYY': { pattern: /^(\d{1,2})-(\d{1,2})-(\d{4})/, order: DAY_MONTH_YEAR },
  'DD-MM-YY': { pattern: /^(\d{1,2})-(\d{1,2})-(\d{2})/, order: DAY_MONTH_YEAR },
  'DD/MM/YYYY': { pattern: /^(\d{1,2})\/(\d{1,2})\/(\d{4})/, order: DAY_MONTH_YEAR },
  'DD/MM/YY': { pattern: /^(\d{1,2})\/(\d{1,2})\/(\d{2})/, order: DAY_MONTH_YEAR },
  'MM/DD/YYYY': { pattern: /^(\d{1,2})\/(\d{1,2})\/(\d{4})/, order: MONTH_DAY_YEAR },
  'MM/DD/YY': { pattern: /^(\d{1,2})\/(\d{1,2})\/(\d{2})/, order: MONTH_DAY_YEAR },
  'MM-DD-YYYY': { pattern: /^(\d{1,2})-(\d{1,2})-(\d{4})/, order: MONTH_DAY_YEAR },
  'YYYY/MM/DD': { pattern: /^(\d{4})\/(\d{1,2})\/(\d{1,2})/, order: YEAR_MONTH_DAY },
  YYYYMMDD: { pattern: /^(\d{4})(\d{2})(\d{2})/, order: YEAR_MONTH_DAY },
};

/** The ISO date of `text` written in `format`, or undefined when it is not one (a time may follow the date). */
export function parseDate(text: string, format: DateFormat): string | undefined {
  const { pattern, order } = LAYOUTS[format];
  const trimmed = text.trim();
  const match = pattern.exec(trimmed);
  if (!match || !/^(?:$|[ T]\d{1,2}:\d{2})/.test(trimmed.slice(match[0].length))) return undefined;
  const parts = { year: 0, month: 0, day: 0 };
  order.forEach((part, index) => (parts[part] = Number(match[index + 1])));
  return calendarDate(/[^Y]YY$/.test(format) ? 2000 + parts.year : parts.year, parts.month, parts.day);
}
