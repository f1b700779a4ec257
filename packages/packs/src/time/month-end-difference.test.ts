import { describe, expect, it } from 'vitest';
import { addDuration, difference } from './arithmetic.js';

// docs/packs.md says where time_difference parts from Temporal's `until`: this pins that sentence.
describe('time_difference at the end of a month', () => {
  const jan31 = Date.UTC(2026, 0, 31);
  const feb28 = Date.UTC(2026, 1, 28);

  it('Jan 31 -> Feb 28 is 1 month 0 days (Temporal until: P28D), and adding it back gives Feb 28', () => {
    const diff = difference(jan31, feb28, 'UTC');
    expect(diff).toMatchObject({ sign: 1, years: 0, months: 1, days: 0, hours: 0, totalDays: 28 });
    expect(addDuration(jan31, 'UTC', { months: diff.months, days: diff.days })).toBe(feb28);
  });
});
