/**
 * ISO 8601 durations for moving the bank's clock ("P1D", "PT6H", "P2W", "P1DT12H30M").
 * Years and months are refused: their length depends on the date they start from, and a test
 * that advances "P1M" should say how many days it means.
 */
const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export class DurationError extends Error {
  constructor(text: string) {
    super(`${JSON.stringify(text)} is not a duration: expected ISO 8601 weeks, days and time, e.g. P1D, PT6H, P1DT12H (no years or months)`);
    this.name = 'DurationError';
  }
}

/** The duration in milliseconds. */
export function parseDuration(text: string): number {
  const match = DURATION.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) throw new DurationError(text);
  const [, weeks, days, hours, minutes, seconds] = match;
  return (
    Number(weeks ?? 0) * 7 * DAY +
    Number(days ?? 0) * DAY +
    Number(hours ?? 0) * HOUR +
    Number(minutes ?? 0) * MINUTE +
    Math.round(Number(seconds ?? 0) * SECOND)
  );
}
