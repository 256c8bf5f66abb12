// Calendar arithmetic shared by Time and Date (one algorithm, date_core.c's), done the way Ruby does it, so that the
// dates we print and the fields we write agree with Ruby's own for every year, including years before 1 and after 9999.

/** A calendar date; `year` is astronomical (year 0 is 1 BC, as Ruby counts). */
export interface CivilDate {
  year: number;
  /** 1..12. */
  month: number;
  /** 1..31. */
  day: number;
}

/** The Julian day number of 1970-01-01. */
export const UNIX_EPOCH_JD = 2440588;

/**
 * Days since 1970-01-01 in the proleptic Gregorian calendar (what Ruby's Time uses for every year): Date's
 * arithmetic with no reform day, which is exact for every year a Time holds. The day may run past the month's end,
 * as Ruby's `timegm` lets it (February 31 is March 2 or 3).
 */
export function daysFromCivil(year: number, month: number, day: number): number {
  return civilToJd(year, month, day, -Infinity).jd - UNIX_EPOCH_JD;
}

/** The proleptic Gregorian date `days` days after 1970-01-01. */
export function civilFromDays(days: number): CivilDate {
  return jdToCivil(days + UNIX_EPOCH_JD, -Infinity);
}

/**
 * date_core.c `c_civil_to_jd`: the Julian day number of a date, Julian calendar when the result falls before
 * the reform day `start`, Gregorian from it. Ruby computes this in doubles; so do we, to get the same days.
 */
export function civilToJd(year: number, month: number, day: number, start: number): { jd: number; gregorian: boolean } {
  let y = year;
  let m = month;
  if (m <= 2) {
    y -= 1;
    m += 12;
  }
  const a = Math.floor(y / 100);
  const b = 2 - a + Math.floor(a / 4);
  const jd = Math.floor(365.25 * (y + 4716)) + Math.floor(30.6001 * (m + 1)) + day + b - 1524;
  return jd < start ? { jd: jd - b, gregorian: false } : { jd, gregorian: true };
}

/** date_core.c `c_jd_to_civil`: the date of a Julian day number, Julian calendar before `start`, Gregorian from it. */
export function jdToCivil(jd: number, start: number): CivilDate {
  let a: number;
  if (jd < start) a = jd;
  else {
    const x = Math.floor((jd - 1867216.25) / 36524.25);
    a = jd + 1 + x - Math.floor(x / 4);
  }
  const b = a + 1524;
  const c = Math.floor((b - 122.1) / 365.25);
  const d = Math.floor(365.25 * c);
  const e = Math.floor((b - d) / 30.6001);
  const day = b - d - Math.floor(30.6001 * e);
  return e <= 13 ? { year: c - 4716, month: e - 1, day } : { year: c - 4715, month: e - 13, day };
}

/** Ruby's `%Y`: at least 4 digits, and a negative year takes 5 places with its sign (`-0001`, `0005`, `12345`). */
export function formatYear(year: number | bigint): string {
  const negative = year < 0;
  const digits = (negative ? -BigInt(year) : BigInt(year)).toString();
  return negative ? `-${digits.padStart(4, '0')}` : digits.padStart(4, '0');
}

/** Two digits, for `%m %d %H %M %S`. */
export function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/**
 * Ruby's `%z` (`+0900`) or, with `colon`, `%:z` (`+09:00`): the sign of the offset, then whole hours and minutes
 * of its absolute value, so -45 s prints `-00:00` as Ruby prints it.
 */
export function formatOffset(seconds: number, colon: boolean): string {
  const sign = seconds < 0 ? '-' : '+';
  const abs = Math.abs(seconds);
  const hours = Math.floor(abs / 3600);
  const minutes = Math.floor((abs % 3600) / 60);
  return `${sign}${pad2(hours)}${colon ? ':' : ''}${pad2(minutes)}`;
}

/** Ruby's `%Y-%m-%d<separator>%H:%M:%S` of a wall clock given as whole seconds since 1970-01-01 00:00:00. */
export function wallClockText(wallSeconds: number, separator: string): string {
  const days = Math.floor(wallSeconds / 86400);
  const secondOfDay = wallSeconds - days * 86400;
  const { year, month, day } = civilFromDays(days);
  return `${formatYear(year)}-${pad2(month)}-${pad2(day)}${separator}${pad2(Math.floor(secondOfDay / 3600))}:${pad2(Math.floor((secondOfDay % 3600) / 60))}:${pad2(secondOfDay % 60)}`;
}
