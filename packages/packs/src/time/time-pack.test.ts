import { describe, expect, it } from 'vitest';
import { PackConfigError, timePack } from './index.js';

const NOW = new Date('2025-03-09T18:30:00Z');
const pack = timePack({ now: () => NOW, timeZone: 'America/New_York' });

async function run(name: string, args: unknown) {
  const target = pack.tools.find((tool) => tool.name === name)!;
  return target.invoke({ id: 'call_00_time', function: { arguments: JSON.stringify(args) } });
}

describe('timePack', () => {
  it('offers five tools with valid definitions', () => {
    expect(pack.tools.map((tool) => tool.name)).toEqual([
      'time_now',
      'time_convert',
      'time_format',
      'time_add',
      'time_difference',
    ]);
    for (const tool of pack.tools) {
      expect(tool.definition.function.name).toMatch(/^[a-z_]+$/);
      expect(tool.definition.function.parameters).toMatchObject({ type: 'object' });
    }
  });

  it('time_now uses the injected clock and the default zone', async () => {
    const outcome = await run('time_now', {});
    expect(JSON.parse(outcome.content)).toEqual({
      iso: '2025-03-09T14:30:00-04:00',
      timeZone: 'America/New_York',
      offset: '-04:00',
      date: '2025-03-09',
      time: '14:30:00',
      weekday: 'Sunday',
      utc: '2025-03-09T18:30:00.000Z',
      unixMs: NOW.getTime(),
    });
    const tokyo = JSON.parse((await run('time_now', { timeZone: 'Asia/Tokyo' })).content);
    expect(tokyo.iso).toBe('2025-03-10T03:30:00+09:00');
  });

  it('converts, formats, adds and diffs', async () => {
    const converted = JSON.parse(
      (
        await run('time_convert', {
          dateTime: '2025-07-01T09:00',
          fromTimeZone: 'Europe/Paris',
          toTimeZone: 'Asia/Kolkata',
        })
      ).content,
    );
    expect(converted.to.iso).toBe('2025-07-01T12:30:00+05:30');
    const formatted = JSON.parse(
      (await run('time_format', { dateTime: 'now', locale: 'fr-FR', dateStyle: 'long', timeStyle: 'short' }))
        .content,
    );
    expect(formatted).toEqual({ formatted: '9 mars 2025 à 14:30', iso: '2025-03-09T14:30:00-04:00' });
    const added = JSON.parse((await run('time_add', { dateTime: '2025-03-08T12:00', days: 1 })).content);
    expect(added.iso).toBe('2025-03-09T12:00:00-04:00');
    const subtracted = JSON.parse((await run('time_add', { dateTime: 'now', weeks: -1, hours: -2 })).content);
    expect(subtracted.iso).toBe('2025-03-02T12:30:00-05:00');
    const diff = JSON.parse((await run('time_difference', { from: '2025-01-01', to: 'now' })).content);
    // 00:00 EST to 14:30 EDT on 9 March is 13.5 elapsed hours: clocks sprang forward at 02:00.
    expect(diff).toMatchObject({ sign: 1, years: 0, months: 2, days: 8, hours: 13, minutes: 30 });
  });

  it('returns clear errors for unknown zones, bad dates and empty durations', async () => {
    const zone = await run('time_now', { timeZone: 'Mars/Olympus' });
    expect(zone.ok).toBe(false);
    expect(zone.content).toContain('Unknown time zone "Mars/Olympus"');
    const date = await run('time_convert', { dateTime: 'next tuesday', toTimeZone: 'UTC' });
    expect(date.content).toContain('ISO 8601');
    const empty = await run('time_add', { dateTime: 'now' });
    expect(empty.content).toContain('at least one');
    const fractional = await run('time_add', { dateTime: 'now', days: 1.5 });
    expect(fractional.ok).toBe(false);
    expect(fractional.content).toContain('days');
  });

  it('checks its options when built', () => {
    expect(() => timePack({ timeZone: 'Nowhere/Land' })).toThrow(PackConfigError);
    expect(() => timePack({ locale: '!!' })).toThrow(/locale/);
    expect(() => timePack({ locale: 42 as never })).toThrow(PackConfigError);
    expect(() => timePack({ timeZone: 1 as never })).toThrow(
      'timePack: timeZone must be a string, got a number (1).',
    );
    expect(() => timePack({ now: 'today' as never })).toThrow(/now must be a function/);
  });
});
