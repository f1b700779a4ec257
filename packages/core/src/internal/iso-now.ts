/**
 * `new Date().toISOString()` for the current time, at about a tenth of its cost: the agent loop
 * stamps several records per step (a step's request, each tool call's start and end). The date
 * and time to the second are formatted once per second; the milliseconds come from a table.
 */

/** `.000Z` to `.999Z`. */
const MILLIS: readonly string[] = Array.from({ length: 1000 }, (_, ms) => `.${String(ms).padStart(3, '0')}Z`);

let cachedSecond = Number.NaN;
/** `toISOString()` of `cachedSecond` without its `.sssZ`. */
let cachedPrefix = '';

/** The current time as `toISOString()` writes it, e.g. `2026-12-02T18:53:20.467Z`. */
export function isoNow(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== cachedSecond) {
    // Outside years 0-9999 toISOString writes a 6-digit year with a sign: cut from the end.
    const full = new Date(second * 1000).toISOString();
    cachedPrefix = full.slice(0, full.length - 5);
    cachedSecond = second;
  }
  return cachedPrefix + (MILLIS[now - second * 1000] as string);
}
