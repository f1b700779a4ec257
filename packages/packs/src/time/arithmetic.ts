import { PackInputError } from '../errors.js';
import { checkRange, daysInMonth } from './parse-date-time.js';
import { type WallClock, wallClockAt, wallClockToInstant, wallClockToUtc } from './zones.js';

/** An amount of time to add; negative numbers subtract. Calendar units must be whole numbers. */
export interface Duration {
  years?: number | undefined;
  months?: number | undefined;
  weeks?: number | undefined;
  days?: number | undefined;
  hours?: number | undefined;
  minutes?: number | undefined;
  seconds?: number | undefined;
  milliseconds?: number | undefined;
}

/** The difference between two instants, broken down and in totals. */
export interface Difference {
  /** `+1` when `to` is after `from`, `-1` when before, `0` when equal. Broken-down fields carry the sign. */
  sign: -1 | 0 | 1;
  years: number;
  months: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
  milliseconds: number;
  totalDays: number;
  totalHours: number;
  totalMinutes: number;
  totalSeconds: number;
  totalMilliseconds: number;
}

const CALENDAR_UNITS = ['years', 'months', 'weeks', 'days'] as const;
const TIME_UNITS = { hours: 3_600_000, minutes: 60_000, seconds: 1000, milliseconds: 1 } as const;
const MAX_AMOUNT = 1e9;

/**
 * Adds a duration to an instant, the way Temporal's `ZonedDateTime.add` does: years, months,
 * weeks and days move the wall clock in `zone` (so "+1 day" across a DST change keeps the time
 * of day, and Jan 31 + 1 month is the last day of February), then hours, minutes, seconds and
 * milliseconds add exact elapsed time.
 */
export function addDuration(epochMs: number, zone: string, duration: Duration): number {
  for (const [unit, amount] of Object.entries(duration)) {
    if (amount === undefined) continue;
    if (!Number.isFinite(amount) || Math.abs(amount) > MAX_AMOUNT) {
      throw new PackInputError(
        'invalid_duration',
        `${unit} must be a finite number of at most ${MAX_AMOUNT}.`,
      );
    }
    if ((CALENDAR_UNITS as readonly string[]).includes(unit) && !Number.isInteger(amount)) {
      throw new PackInputError(
        'invalid_duration',
        `${unit} must be a whole number (got ${amount}); use hours, minutes or seconds for fractions.`,
      );
    }
  }
  let result = epochMs;
  const months = (duration.years ?? 0) * 12 + (duration.months ?? 0);
  const days = (duration.weeks ?? 0) * 7 + (duration.days ?? 0);
  if (months !== 0 || days !== 0) {
    result = wallClockToInstant(shiftWallClock(wallClockAt(epochMs, zone), months, days), zone);
  }
  for (const [unit, factor] of Object.entries(TIME_UNITS)) {
    result += (duration[unit as keyof typeof TIME_UNITS] ?? 0) * factor;
  }
  result = Math.round(result);
  checkRange(result);
  return result;
}

/**
 * The difference from one instant to another: calendar years, months and days counted on the wall
 * clock in `zone`, then exact hours, minutes, seconds and milliseconds; plus exact totals.
 */
export function difference(fromMs: number, toMs: number, zone: string): Difference {
  const total = toMs - fromMs;
  const sign = Math.sign(total) as -1 | 0 | 1;
  const start = wallClockAt(fromMs, zone);
  const end = wallClockAt(toMs, zone);
  const overshoots = (months: number, days: number) =>
    (wallClockToInstant(shiftWallClock(start, months, days), zone) - toMs) * sign > 0;

  let months = (end.year - start.year) * 12 + (end.month - start.month);
  while (months !== 0 && (Math.sign(months) !== sign || overshoots(months, 0))) months -= Math.sign(months);
  const middle = shiftWallClock(start, months, 0);
  let days = dayNumber(end) - dayNumber(middle);
  while (days !== 0 && (Math.sign(days) !== sign || overshoots(months, days))) days -= Math.sign(days);
  let rest = toMs - wallClockToInstant(shiftWallClock(start, months, days), zone);

  const take = (unit: number) => {
    const amount = Math.trunc(rest / unit);
    rest -= amount * unit;
    return amount;
  };
  return {
    sign,
    years: Math.trunc(months / 12),
    months: months % 12,
    days,
    hours: take(3_600_000),
    minutes: take(60_000),
    seconds: take(1000),
    milliseconds: rest,
    totalDays: total / 86_400_000,
    totalHours: total / 3_600_000,
    totalMinutes: total / 60_000,
    totalSeconds: total / 1000,
    totalMilliseconds: total,
  };
}

/** Moves a wall clock by whole months (clamping the day to the month's length) then whole days. */
function shiftWallClock(wall: WallClock, months: number, days: number): WallClock {
  const monthIndex = wall.year * 12 + (wall.month - 1) + months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12 + 1;
  if (year < 1 || year > 9999) {
    throw new PackInputError('out_of_range', 'Dates must fall between the years 0001 and 9999.');
  }
  const day = Math.min(wall.day, daysInMonth(year, month));
  const moved = new Date(wallClockToUtc({ ...wall, year, month, day }) + days * 86_400_000);
  return {
    ...wall,
    year: moved.getUTCFullYear(),
    month: moved.getUTCMonth() + 1,
    day: moved.getUTCDate(),
  };
}

function dayNumber(wall: WallClock): number {
  return Math.floor(wallClockToUtc({ ...wall, hour: 0, minute: 0, second: 0, millisecond: 0 }) / 86_400_000);
}
