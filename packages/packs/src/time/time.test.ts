import { describe, expect, it } from 'vitest';
import { PackInputError } from '../errors.js';
import { addDuration, difference } from './arithmetic.js';
import { describeInstant, formatInstant, formatOffset } from './describe.js';
import { parseDateTime, toInstant } from './parse-date-time.js';
import { checkTimeZone, offsetMinutesAt, wallClockAt } from './zones.js';

const FIXED = Date.UTC(2025, 2, 9, 12, 0, 0);
const now = () => FIXED;
const at = (text: string, zone = 'UTC') => toInstant(parseDateTime(text, now), zone);
const iso = (epochMs: number, zone: string) => describeInstant(epochMs, zone).iso;

describe('time zones', () => {
  it('accepts IANA names and returns the canonical spelling', () => {
    expect(checkTimeZone('Europe/Paris')).toBe('Europe/Paris');
    expect(checkTimeZone('utc')).toBe('UTC');
    expect(checkTimeZone('Asia/Kolkata')).toBe('Asia/Kolkata');
  });

  it('refuses unknown zones with a clear error and suggestions', () => {
    expect(() => checkTimeZone('Mars/Olympus')).toThrow(PackInputError);
    expect(() => checkTimeZone('Mars/Olympus')).toThrow(/Unknown time zone "Mars\/Olympus".*IANA/);
    expect(() => checkTimeZone('Paris')).toThrow(/Did you mean Europe\/Paris/);
    expect(() => checkTimeZone('')).toThrow(/Unknown time zone/);
  });

  it('computes offsets across DST changes', () => {
    expect(offsetMinutesAt(Date.UTC(2025, 0, 15), 'America/New_York')).toBe(-300);
    expect(offsetMinutesAt(Date.UTC(2025, 6, 15), 'America/New_York')).toBe(-240);
    expect(offsetMinutesAt(Date.UTC(2025, 6, 15), 'Asia/Kolkata')).toBe(330);
    expect(offsetMinutesAt(Date.UTC(2025, 6, 15), 'Asia/Kathmandu')).toBe(345);
    expect(formatOffset(-570)).toBe('-09:30');
  });
});

describe('parseDateTime', () => {
  it('reads instants with Z or an offset, and wall clocks in the given zone', () => {
    expect(at('2025-03-09T14:30:00Z')).toBe(Date.UTC(2025, 2, 9, 14, 30));
    expect(at('2025-03-09T14:30:00+05:30')).toBe(Date.UTC(2025, 2, 9, 9, 0));
    expect(at('2025-03-09 14:30:15.250-0400')).toBe(Date.UTC(2025, 2, 9, 18, 30, 15, 250));
    expect(at('2025-03-09T14:30', 'Europe/Paris')).toBe(Date.UTC(2025, 2, 9, 13, 30));
    expect(at('2025-07-01', 'Asia/Tokyo')).toBe(Date.UTC(2025, 5, 30, 15, 0));
    expect(at('now')).toBe(FIXED);
  });

  it('resolves DST gaps forward and overlaps to the earlier instant', () => {
    expect(iso(at('2025-03-09T02:30', 'America/New_York'), 'America/New_York')).toBe(
      '2025-03-09T03:30:00-04:00',
    );
    expect(iso(at('2025-11-02T01:30', 'America/New_York'), 'America/New_York')).toBe(
      '2025-11-02T01:30:00-04:00',
    );
  });

  it.each([
    ['tomorrow', 'ISO 8601'],
    ['2025-13-01', 'month must be 01-12'],
    ['2025-02-29', 'day 29 does not exist in 2025-02'],
    ['2025-04-31', 'day 31 does not exist'],
    ['2025-01-01T24:00', 'hour must be 00-23'],
    ['2025-01-01T10:60', 'minute must be 00-59'],
    ['0000-01-01', 'year must be 0001'],
    ['2025-01-01T10:00+25:00', 'offset'],
    ['March 9, 2025', 'ISO 8601'],
  ])('refuses %s', (text, message) => {
    expect(() => at(text)).toThrow(message);
  });

  it('accepts 29 February in leap years only', () => {
    expect(at('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(at('2000-02-29')).toBe(Date.UTC(2000, 1, 29));
    expect(() => at('1900-02-29')).toThrow(/does not exist/);
  });
});

describe('describeInstant and formatInstant', () => {
  it('describes an instant in a zone', () => {
    expect(describeInstant(Date.UTC(2025, 2, 9, 18, 30, 0, 250), 'America/New_York')).toEqual({
      iso: '2025-03-09T14:30:00.250-04:00',
      timeZone: 'America/New_York',
      offset: '-04:00',
      date: '2025-03-09',
      time: '14:30:00.250',
      weekday: 'Sunday',
    });
  });

  it('gets dates and weekdays right for years before 100 (proleptic Gregorian)', () => {
    const epoch = at('0050-03-01');
    expect(describeInstant(epoch, 'UTC')).toMatchObject({ date: '0050-03-01', weekday: 'Tuesday' });
  });

  it('formats with Intl in a locale, and refuses a bad locale', () => {
    const epoch = Date.UTC(2025, 2, 9, 18, 30);
    expect(
      formatInstant(epoch, 'Europe/Paris', { locale: 'en-GB', dateStyle: 'long', timeStyle: 'short' }),
    ).toBe('9 March 2025 at 19:30');
    expect(
      formatInstant(epoch, 'Asia/Tokyo', { locale: 'en-US', dateStyle: 'short', timeStyle: 'none' }),
    ).toBe('3/10/25');
    expect(() => formatInstant(epoch, 'UTC', { locale: 'not a locale!' })).toThrow(/not a valid locale/);
  });
});

describe('addDuration', () => {
  it('adds calendar days on the wall clock across DST (time of day kept)', () => {
    const start = at('2025-03-08T12:00', 'America/New_York');
    expect(iso(addDuration(start, 'America/New_York', { days: 1 }), 'America/New_York')).toBe(
      '2025-03-09T12:00:00-04:00',
    );
    expect(iso(addDuration(start, 'America/New_York', { hours: 24 }), 'America/New_York')).toBe(
      '2025-03-09T13:00:00-04:00',
    );
  });

  it('clamps month ends and handles leap years', () => {
    expect(iso(addDuration(at('2025-01-31'), 'UTC', { months: 1 }), 'UTC')).toBe('2025-02-28T00:00:00+00:00');
    expect(iso(addDuration(at('2024-02-29'), 'UTC', { years: 1 }), 'UTC')).toBe('2025-02-28T00:00:00+00:00');
    expect(iso(addDuration(at('2025-03-31'), 'UTC', { months: -1 }), 'UTC')).toBe(
      '2025-02-28T00:00:00+00:00',
    );
  });

  it('subtracts with negative amounts and mixes units', () => {
    const result = addDuration(at('2025-03-09T12:00Z'), 'UTC', { weeks: -2, hours: 1.5, seconds: 30 });
    expect(iso(result, 'UTC')).toBe('2025-02-23T13:30:30+00:00');
  });

  it('refuses fractional calendar units, non-finite amounts and results outside 0001-9999', () => {
    expect(() => addDuration(FIXED, 'UTC', { days: 1.5 })).toThrow(/whole number/);
    expect(() => addDuration(FIXED, 'UTC', { hours: Number.POSITIVE_INFINITY })).toThrow(/finite/);
    expect(() => addDuration(FIXED, 'UTC', { years: 9000 })).toThrow(/0001 and 9999/);
    expect(() => addDuration(FIXED, 'UTC', { days: 1e12 })).toThrow(/at most/);
  });
});

describe('difference', () => {
  it('breaks a difference into calendar and clock units', () => {
    const diff = difference(at('2024-01-15T08:00Z'), at('2025-03-17T10:30:15Z'), 'UTC');
    expect(diff).toMatchObject({ sign: 1, years: 1, months: 2, days: 2, hours: 2, minutes: 30, seconds: 15 });
    expect(diff.totalDays).toBeCloseTo(427.104, 3);
  });

  it('is negative when the second date comes first', () => {
    expect(difference(at('2025-03-17'), at('2025-03-10'), 'UTC')).toMatchObject({
      sign: -1,
      days: -7,
      totalDays: -7,
    });
  });

  it('counts a DST day as one calendar day of 23 hours', () => {
    const zone = 'Europe/Paris';
    const diff = difference(at('2025-03-30T00:00', zone), at('2025-03-31T00:00', zone), zone);
    expect(diff).toMatchObject({ days: 1, hours: 0, totalHours: 23 });
  });

  it('does not count a month that is not complete', () => {
    expect(difference(at('2025-01-31T10:00Z'), at('2025-02-01T09:00Z'), 'UTC')).toMatchObject({
      months: 0,
      days: 0,
      hours: 23,
    });
    expect(difference(at('2025-01-31'), at('2025-03-31'), 'UTC')).toMatchObject({ months: 2, days: 0 });
  });

  it('reads the wall clock in the requested zone', () => {
    expect(wallClockAt(Date.UTC(2025, 0, 1, 23, 30), 'Asia/Tokyo')).toMatchObject({
      year: 2025,
      day: 2,
      hour: 8,
    });
  });
});

// Model-written text of 1 MB is refused before any parsing (the bench's "hostile input" scenario
// records the times; the test checks the results).
describe('1 MB hostile input', () => {
  const MB = 1_000_000;
  const code = (action: () => unknown) => {
    try {
      action();
    } catch (error) {
      expect(error).toBeInstanceOf(PackInputError);
      return (error as PackInputError).code;
    }
    return 'no error';
  };

  it('date-times, zones and locales are refused by length', () => {
    expect(code(() => parseDateTime(`2025-03-09${' '.repeat(MB)}x`, now))).toBe('invalid_date');
    expect(code(() => parseDateTime('9'.repeat(MB), now))).toBe('invalid_date');
    expect(code(() => checkTimeZone('Europe/'.repeat(MB / 7)))).toBe('invalid_time_zone');
    expect(code(() => checkTimeZone(' -'.repeat(MB / 2)))).toBe('invalid_time_zone');
    expect(code(() => formatInstant(FIXED, 'UTC', { locale: 'en-'.repeat(MB / 3) }))).toBe('invalid_locale');
  });

  it('the length limits leave every valid form readable', () => {
    expect(at('  2025-03-09T14:30:15.123456789+05:30  ')).toBe(Date.UTC(2025, 2, 9, 9, 0, 15, 123));
    expect(checkTimeZone('America/Argentina/ComodRivadavia')).toBe('America/Argentina/ComodRivadavia');
  });
});

describe('error texts are cut on code-point boundaries', () => {
  it('a quoted date-time, zone or locale never ends in half an emoji', () => {
    const texts: string[] = [];
    for (const action of [
      () => parseDateTime(`${'x'.repeat(59)}😀😀`, now),
      () => checkTimeZone(`${'x'.repeat(99)}😀`),
      () => formatInstant(FIXED, 'UTC', { locale: `${'x'.repeat(39)}😀` }),
    ]) {
      try {
        action();
      } catch (error) {
        texts.push((error as Error).message);
      }
    }
    expect(texts).toHaveLength(3);
    for (const text of texts) expect(text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });
});
