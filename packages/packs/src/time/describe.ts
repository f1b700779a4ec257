import { cutText } from '@plumb/core';
import { PackInputError } from '../errors.js';
import { offsetMinutesAt, wallClockAt, wallClockToUtc } from './zones.js';

/** An instant as seen in one time zone. */
export interface ZonedTime {
  /** ISO 8601 with the zone's offset: `2025-03-09T14:30:00-04:00`. */
  iso: string;
  timeZone: string;
  /** `+05:30`, `-04:00`, `+00:00`. */
  offset: string;
  /** `2025-03-09` */
  date: string;
  /** `14:30:00` (with `.250` when there are milliseconds). */
  time: string;
  /** English weekday name: `Sunday`. */
  weekday: string;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Describes the instant `epochMs` on the wall clock of `zone` (an already checked zone). */
export function describeInstant(epochMs: number, zone: string): ZonedTime {
  const wall = wallClockAt(epochMs, zone);
  const offset = formatOffset(offsetMinutesAt(epochMs, zone));
  const date = `${pad(wall.year, 4)}-${pad(wall.month, 2)}-${pad(wall.day, 2)}`;
  const millis = wall.millisecond === 0 ? '' : `.${pad(wall.millisecond, 3)}`;
  const time = `${pad(wall.hour, 2)}:${pad(wall.minute, 2)}:${pad(wall.second, 2)}${millis}`;
  const weekday = WEEKDAYS[new Date(wallClockToUtc(wall)).getUTCDay()]!;
  return { iso: `${date}T${time}${offset}`, timeZone: zone, offset, date, time, weekday };
}

/** Options of {@link formatInstant}: Intl's date and time styles, and a BCP 47 locale. */
export interface FormatOptions {
  locale?: string | undefined;
  dateStyle?: 'full' | 'long' | 'medium' | 'short' | 'none' | undefined;
  timeStyle?: 'full' | 'long' | 'medium' | 'short' | 'none' | undefined;
}

/** Formats an instant for people with `Intl.DateTimeFormat` (default: `en-US`, full date, long time). */
export function formatInstant(epochMs: number, zone: string, options: FormatOptions = {}): string {
  const dateStyle = options.dateStyle ?? 'full';
  const timeStyle = options.timeStyle ?? 'long';
  let formatter: Intl.DateTimeFormat;
  try {
    // BCP 47 tags in use are short; a long text is refused before ICU sees it.
    if ((options.locale?.length ?? 0) > 100) throw new RangeError('locale too long');
    formatter = new Intl.DateTimeFormat(options.locale ?? 'en-US', {
      timeZone: zone,
      ...(dateStyle === 'none' ? {} : { dateStyle }),
      ...(timeStyle === 'none' ? {} : { timeStyle }),
    });
  } catch {
    throw new PackInputError(
      'invalid_locale',
      `"${cutText(String(options.locale), 40)}" is not a valid locale. Use a BCP 47 tag such as "en-US", "fr-FR" or "ja-JP".`,
    );
  }
  return formatter.format(new Date(epochMs));
}

/** `+HH:MM` / `-HH:MM` from minutes east of UTC. */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const absolute = Math.abs(minutes);
  return `${sign}${pad(Math.floor(absolute / 60), 2)}:${pad(absolute % 60, 2)}`;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
