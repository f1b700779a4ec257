import { type ToolPack, tool, toolPack } from '@plumb/tools';
import { z } from 'zod/v4';
import { PackConfigError, PackInputError } from '../errors.js';
import { COMMON_OPTIONS, checkPackOptions, FUNCTION, STRING } from '../option-checks.js';
import type { CommonPackOptions } from '../pack-options.js';
import { packDefaults } from '../pack-options.js';
import { addDuration, difference } from './arithmetic.js';
import { describeInstant, formatInstant } from './describe.js';
import { parseDateTime, toInstant } from './parse-date-time.js';
import { checkTimeZone } from './zones.js';

/** Options of {@link timePack}. */
export interface TimePackOptions extends CommonPackOptions {
  /** The clock. Default `Date.now`. Inject a fixed one in tests. */
  now?: (() => Date | number) | undefined;
  /** The zone used when the model names none (an IANA name). Default `'UTC'`. */
  timeZone?: string | undefined;
  /** The default locale of `time_format` (BCP 47). Default `'en-US'`. */
  locale?: string | undefined;
}

const STYLE = z.enum(['full', 'long', 'medium', 'short', 'none']);
const DATE_TIME =
  'ISO 8601 date-time ("2025-03-09", "2025-03-09T14:30", "2025-03-09T14:30:00Z", "2025-03-09T14:30:00+01:00") or "now".';

/**
 * Time tools built on `Intl` (no date library): `time_now`, `time_convert` (between IANA time
 * zones), `time_format`, `time_add` (calendar-aware: DST and month ends handled) and
 * `time_difference`. Unknown zones, locales and malformed dates are clear errors.
 */
export function timePack(options: TimePackOptions = {}): ToolPack {
  checkPackOptions('timePack', options, {
    ...COMMON_OPTIONS,
    now: FUNCTION,
    timeZone: STRING,
    locale: STRING,
  });
  if (options.now !== undefined && typeof options.now !== 'function') {
    throw new PackConfigError('timePack: now must be a function returning a Date or epoch milliseconds.');
  }
  const clock = options.now ?? Date.now;
  const now = () => {
    const value = clock();
    return typeof value === 'number' ? value : value.getTime();
  };
  let defaultZone: string;
  try {
    if (options.timeZone !== undefined && typeof options.timeZone !== 'string') {
      throw new TypeError('timeZone must be an IANA time zone name such as "Europe/Paris".');
    }
    defaultZone = checkTimeZone(options.timeZone ?? 'UTC');
  } catch (error) {
    throw new PackConfigError(`timePack: ${(error as Error).message}`, { cause: error });
  }
  const locale = options.locale ?? 'en-US';
  try {
    if (typeof locale !== 'string') throw new TypeError('not a string');
    new Intl.DateTimeFormat(locale);
  } catch (error) {
    throw new PackConfigError(`timePack: locale "${locale}" is not a valid BCP 47 tag such as "en-US".`, {
      cause: error,
    });
  }
  const zone = (name: string | undefined) => (name === undefined ? defaultZone : checkTimeZone(name));
  const instant = (text: string, zoneName: string) => toInstant(parseDateTime(text, now), zoneName);
  const zoneField = z
    .string()
    .optional()
    .describe(`IANA time zone such as "Europe/Paris" or "America/New_York". Default ${defaultZone}.`);

  return toolPack({
    name: 'time',
    description: 'Current time, time zones, formatting and date arithmetic',
    tools: [
      tool({
        name: 'time_now',
        description: 'The current date and time, in a time zone.',
        parameters: z.object({ timeZone: zoneField }),
        execute: ({ timeZone }) => {
          const epochMs = now();
          return {
            ...describeInstant(epochMs, zone(timeZone)),
            utc: new Date(epochMs).toISOString(),
            unixMs: epochMs,
          };
        },
      }),
      tool({
        name: 'time_convert',
        description: 'Convert a date-time from one time zone to another.',
        parameters: z.object({
          dateTime: z.string().describe(`${DATE_TIME} Without an offset it is read in fromTimeZone.`),
          fromTimeZone: zoneField,
          toTimeZone: z.string().describe('IANA time zone to convert to.'),
        }),
        execute: ({ dateTime, fromTimeZone, toTimeZone }) => {
          const from = zone(fromTimeZone);
          const epochMs = instant(dateTime, from);
          return { from: describeInstant(epochMs, from), to: describeInstant(epochMs, zone(toTimeZone)) };
        },
      }),
      tool({
        name: 'time_format',
        description: 'Format a date-time for people, in a locale and time zone (Intl.DateTimeFormat).',
        parameters: z.object({
          dateTime: z.string().describe(DATE_TIME),
          timeZone: zoneField,
          locale: z.string().optional().describe(`BCP 47 locale such as "fr-FR". Default ${locale}.`),
          dateStyle: STYLE.default('full'),
          timeStyle: STYLE.default('long'),
        }),
        execute: ({ dateTime, timeZone, locale: wanted, dateStyle, timeStyle }) => {
          const target = zone(timeZone);
          const epochMs = instant(dateTime, target);
          return {
            formatted: formatInstant(epochMs, target, { locale: wanted ?? locale, dateStyle, timeStyle }),
            iso: describeInstant(epochMs, target).iso,
          };
        },
      }),
      tool({
        name: 'time_add',
        description:
          'Add (or, with negative numbers, subtract) a duration to a date-time. Years, months, weeks and days follow the calendar in the time zone (a day is 23 or 25 hours across DST; Jan 31 + 1 month is Feb 28/29); hours, minutes and seconds are exact elapsed time.',
        parameters: z.object({
          dateTime: z.string().describe(DATE_TIME),
          timeZone: zoneField,
          years: z.number().int().optional(),
          months: z.number().int().optional(),
          weeks: z.number().int().optional(),
          days: z.number().int().optional(),
          hours: z.number().optional(),
          minutes: z.number().optional(),
          seconds: z.number().optional(),
        }),
        execute: ({ dateTime, timeZone, ...duration }) => {
          const target = zone(timeZone);
          if (Object.values(duration).every((amount) => amount === undefined)) {
            throw new PackInputError(
              'invalid_duration',
              'Give at least one of years, months, weeks, days, hours, minutes, seconds.',
            );
          }
          return describeInstant(addDuration(instant(dateTime, target), target, duration), target);
        },
      }),
      tool({
        name: 'time_difference',
        description:
          'The time from one date-time to another: calendar years, months, days (in the time zone) plus hours, minutes, seconds, and exact totals. Negative when "to" is before "from".',
        parameters: z.object({
          from: z.string().describe(DATE_TIME),
          to: z.string().describe(DATE_TIME),
          timeZone: zoneField,
        }),
        execute: ({ from, to, timeZone }) => {
          const target = zone(timeZone);
          return difference(instant(from, target), instant(to, target), target);
        },
      }),
    ],
    ...packDefaults(options),
  });
}
