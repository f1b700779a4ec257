import { cutText } from '@plumb/core';
import { PackInputError } from '../errors.js';
import { type WallClock, wallClockToInstant, wallClockToUtc } from './zones.js';

/** A parsed date-time: an instant, or a wall clock that still needs a time zone. */
export type ParsedDateTime =
  | { kind: 'instant'; epochMs: number }
  | { kind: 'wall'; wall: WallClock; dateOnly: boolean };

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

/** Longest date-time text read (with room for blanks around it). */
const MAX_DATE_TIME_LENGTH = 100;

/** Earliest and latest supported instants: years 0001 to 9999. */
const MIN_EPOCH_MS = -62_135_596_800_000;
const MAX_EPOCH_MS = 253_402_300_799_999;

/**
 * Reads an ISO 8601 date-time: `2025-03-09`, `2025-03-09T14:30`, `2025-03-09 14:30:15.250`,
 * with an optional `Z` or `+05:30` offset (then it is an instant), or the word `now`.
 */
export function parseDateTime(text: string, now: () => number): ParsedDateTime {
  // The longest valid form is 35 characters; a longer text is refused before any parsing.
  if (text.length > MAX_DATE_TIME_LENGTH) {
    throw new PackInputError(
      'invalid_date',
      `The date-time is ${text.length} characters long; ISO 8601 date-times are at most ${MAX_DATE_TIME_LENGTH}. Use a form such as "2025-03-09T14:30:00Z" or "now".`,
    );
  }
  const trimmed = text.trim();
  if (trimmed.toLowerCase() === 'now') return { kind: 'instant', epochMs: now() };
  const match = ISO.exec(trimmed);
  if (!match) {
    throw new PackInputError(
      'invalid_date',
      `Could not read "${cutText(trimmed, 60)}" as a date-time. Use ISO 8601 such as "2025-03-09", "2025-03-09T14:30", "2025-03-09T14:30:00Z" or "2025-03-09T14:30:00+01:00", or "now".`,
    );
  }
  const [, y, mo, d, h, mi, s, fraction, zulu, sign, offsetHours, offsetMinutes] = match;
  const wall: WallClock = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h ?? 0),
    minute: Number(mi ?? 0),
    second: Number(s ?? 0),
    millisecond: fraction ? Math.floor(Number(`0.${fraction}`) * 1000) : 0,
  };
  checkWallClock(wall, trimmed);
  if (zulu) return { kind: 'instant', epochMs: wallClockToUtc(wall) };
  if (sign) {
    const minutes = Number(offsetHours) * 60 + Number(offsetMinutes);
    if (Number(offsetHours) > 23 || Number(offsetMinutes) > 59) {
      throw new PackInputError('invalid_date', `The UTC offset in "${trimmed}" is out of range.`);
    }
    const offset = sign === '-' ? -minutes : minutes;
    return { kind: 'instant', epochMs: wallClockToUtc(wall) - offset * 60_000 };
  }
  return { kind: 'wall', wall, dateOnly: h === undefined };
}

/** The instant a parsed date-time names; wall clocks are read in `zone`. */
export function toInstant(parsed: ParsedDateTime, zone: string): number {
  const epochMs = parsed.kind === 'instant' ? parsed.epochMs : wallClockToInstant(parsed.wall, zone);
  checkRange(epochMs);
  return epochMs;
}

/** Refuses instants outside years 0001-9999. */
export function checkRange(epochMs: number): void {
  if (!(epochMs >= MIN_EPOCH_MS && epochMs <= MAX_EPOCH_MS)) {
    throw new PackInputError('out_of_range', 'Dates must fall between the years 0001 and 9999.');
  }
}

function checkWallClock(wall: WallClock, text: string): void {
  const monthDays = wall.month >= 1 && wall.month <= 12 ? daysInMonth(wall.year, wall.month) : 31;
  const problem =
    wall.year < 1
      ? 'the year must be 0001 or later'
      : wall.month < 1 || wall.month > 12
        ? 'the month must be 01-12'
        : wall.day < 1 || wall.day > monthDays
          ? `day ${wall.day} does not exist in ${wall.year}-${String(wall.month).padStart(2, '0')}`
          : wall.hour > 23
            ? 'the hour must be 00-23'
            : wall.minute > 59
              ? 'the minute must be 00-59'
              : wall.second > 59
                ? 'the second must be 00-59'
                : undefined;
  if (problem) throw new PackInputError('invalid_date', `"${text}" is not a valid date-time: ${problem}.`);
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in a month (1-12) of a year. */
export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : new Date(Date.UTC(2001, month, 0)).getUTCDate();
}
