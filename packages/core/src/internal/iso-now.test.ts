import { afterEach, describe, expect, it, vi } from 'vitest';
import { isoNow } from './iso-now.js';

describe('isoNow', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes what toISOString writes, across seconds, minutes, days and years', () => {
    vi.useFakeTimers();
    const times = [
      Date.UTC(2026, 11, 2, 18, 53, 20, 467),
      Date.UTC(2026, 11, 2, 18, 53, 20, 0),
      Date.UTC(2026, 11, 2, 18, 53, 20, 999),
      Date.UTC(2026, 11, 2, 18, 53, 21, 5),
      Date.UTC(2026, 11, 2, 18, 59, 59, 999),
      Date.UTC(2026, 11, 2, 19, 0, 0, 0),
      Date.UTC(2026, 11, 31, 23, 59, 59, 999),
      Date.UTC(2027, 0, 1, 0, 0, 0, 1),
      Date.UTC(2026, 11, 2, 18, 53, 20, 467), // back in time (a clock set back)
      0,
      Date.UTC(10000, 0, 1, 0, 0, 0, 42), // a six-digit year
    ];
    for (const time of times) {
      vi.setSystemTime(time);
      expect(isoNow()).toBe(new Date(time).toISOString());
    }
  });

  it('follows every millisecond within one second', () => {
    vi.useFakeTimers();
    const base = Date.UTC(2026, 5, 15, 12, 0, 0, 0);
    for (let ms = 0; ms < 1000; ms += 37) {
      vi.setSystemTime(base + ms);
      expect(isoNow()).toBe(new Date(base + ms).toISOString());
    }
  });
});
