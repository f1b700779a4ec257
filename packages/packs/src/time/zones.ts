import { cutText } from '@plumb/core';
import { PackInputError } from '../errors.js';

/** A wall-clock reading: what a clock on the wall in some time zone shows. */
export interface WallClock {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

/** Longest time zone name accepted. */
const MAX_ZONE_LENGTH = 100;

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * Checks an IANA time zone name (`Europe/Paris`, `UTC`, `America/New_York`) and returns the
 * canonical spelling. Unknown zones are a {@link PackInputError} with suggestions.
 */
export function checkTimeZone(zone: string): string {
  // IANA names are at most about 30 characters; a long text is refused before ICU sees it.
  if (zone.length > MAX_ZONE_LENGTH) {
    throw new PackInputError(
      'invalid_time_zone',
      `The time zone name is ${zone.length} characters long; IANA names are short, such as "Europe/Paris", "America/New_York" or "UTC".`,
    );
  }
  const resolved = formatterFor(zone).resolvedOptions().timeZone;
  // ICU may answer with an older alias (Asia/Kolkata -> Asia/Calcutta): keep the caller's name then.
  return resolved.toLowerCase() === zone.toLowerCase() ? resolved : zone;
}

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (formatter) return formatter;
  try {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
  } catch {
    throw new PackInputError('invalid_time_zone', unknownZoneMessage(zone));
  }
  if (formatters.size > 500) formatters.clear();
  formatters.set(zone, formatter);
  return formatter;
}

function unknownZoneMessage(zone: string): string {
  const needle = zone.toLowerCase().replace(/[\s-]+/g, '_');
  const last = needle.split('/').at(-1) ?? needle;
  const suggestions = Intl.supportedValuesOf('timeZone')
    .filter((name) => last.length >= 3 && name.toLowerCase().includes(last))
    .slice(0, 5);
  const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.join(', ')}?` : '';
  return `Unknown time zone "${cutText(zone, 100)}". Use an IANA name such as "Europe/Paris", "America/New_York", "Asia/Tokyo" or "UTC".${hint}`;
}

/** The wall clock in `zone` at the instant `epochMs`. */
export function wallClockAt(epochMs: number, zone: string): WallClock {
  const parts = formatterFor(zone).formatToParts(new Date(epochMs));
  const read = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((part) => part.type === type)?.value);
  const era = parts.find((part) => part.type === 'era')?.value;
  const year = read('year');
  return {
    year: era === 'BC' || era === 'B' ? 1 - year : year,
    month: read('month'),
    day: read('day'),
    hour: read('hour'),
    minute: read('minute'),
    second: read('second'),
    millisecond: ((epochMs % 1000) + 1000) % 1000,
  };
}

/** The UTC offset of `zone` at `epochMs`, in minutes east of UTC (Paris in winter: 60). */
export function offsetMinutesAt(epochMs: number, zone: string): number {
  return Math.round((wallClockToUtc(wallClockAt(epochMs, zone)) - epochMs) / 60_000);
}

/** Reads a wall clock as if it were UTC (a helper for offset arithmetic). */
export function wallClockToUtc(wall: WallClock): number {
  const date = new Date(0);
  date.setUTCFullYear(wall.year, wall.month - 1, wall.day);
  date.setUTCHours(wall.hour, wall.minute, wall.second, wall.millisecond);
  return date.getTime();
}

/**
 * The instant a wall clock reading in `zone` refers to. Ambiguous readings (when clocks fall
 * back) take the earlier instant; readings that do not exist (when clocks spring forward) are
 * moved forward by the length of the gap, as Temporal's `'compatible'` disambiguation does.
 */
export function wallClockToInstant(wall: WallClock, zone: string): number {
  const local = wallClockToUtc(wall);
  const before = offsetMinutesAt(local - 86_400_000, zone);
  const after = offsetMinutesAt(local + 86_400_000, zone);
  const candidates = [...new Set([before, after])]
    .map((offset) => local - offset * 60_000)
    .filter((instant) => sameWallClock(wallClockAt(instant, zone), wall))
    .sort((a, b) => a - b);
  if (candidates.length > 0) return candidates[0]!;
  return local - before * 60_000;
}

function sameWallClock(a: WallClock, b: WallClock): boolean {
  return (
    a.year === b.year &&
    a.month === b.month &&
    a.day === b.day &&
    a.hour === b.hour &&
    a.minute === b.minute &&
    a.second === b.second
  );
}
