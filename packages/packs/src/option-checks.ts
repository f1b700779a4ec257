import { cutText } from '@plumb/core';
import { PackConfigError } from './errors.js';

/** What an option must be: a description for the message, and the test. */
export interface OptionType {
  /** How the message names the expected type, e.g. `true or false`. */
  expected: string;
  test(value: unknown): boolean;
}

export const BOOLEAN: OptionType = { expected: 'true or false', test: (v) => typeof v === 'boolean' };
export const STRING: OptionType = { expected: 'a string', test: (v) => typeof v === 'string' };
export const FUNCTION: OptionType = { expected: 'a function', test: (v) => typeof v === 'function' };
export const POSITIVE_INTEGER: OptionType = {
  expected: 'a positive whole number',
  test: (v) => typeof v === 'number' && Number.isInteger(v) && v > 0,
};
export const STRINGS: OptionType = {
  expected: 'an array of strings',
  test: (v) => Array.isArray(v) && v.every((entry) => typeof entry === 'string'),
};
export const RECORD: OptionType = {
  expected: 'an object',
  test: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
};

/** `a` or `b`: e.g. `prefix` is `true or false, or a string`. */
export function either(a: OptionType, b: OptionType): OptionType {
  return { expected: `${a.expected}, or ${b.expected}`, test: (v) => a.test(v) || b.test(v) };
}

/** The options every built-in pack accepts (see CommonPackOptions). */
export const COMMON_OPTIONS: Readonly<Record<string, OptionType>> = {
  prefix: either(BOOLEAN, STRING),
  needsApproval: either(BOOLEAN, FUNCTION),
  maxResultChars: POSITIVE_INTEGER,
};

/**
 * Checks a pack's options object before anything else: it must be an object, every key must be
 * known (a typo such as `allowWrites` is an error with a did-you-mean, not silently ignored), and
 * every value given must have its type (`allowWrite: "yes"` is an error saying what it got).
 * `undefined` values count as not given.
 */
export function checkPackOptions(
  pack: string,
  options: unknown,
  types: Readonly<Record<string, OptionType>>,
): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new PackConfigError(`${pack}: the options must be an object, got ${describeValue(options)}.`);
  }
  const known = Object.keys(types);
  for (const [key, value] of Object.entries(options)) {
    const type = Object.hasOwn(types, key) ? types[key] : undefined;
    if (type === undefined) {
      const guess = closest(key, known);
      throw new PackConfigError(
        `${pack}: unknown option ${JSON.stringify(key.length > 64 ? `${cutText(key, 64)}…` : key)}${guess ? `: did you mean ${guess}?` : '.'} Known options: ${known.join(', ')}.`,
      );
    }
    if (value !== undefined && !type.test(value)) {
      throw new PackConfigError(`${pack}: ${key} must be ${type.expected}, got ${describeValue(value)}.`);
    }
  }
}

/** `a string ("yes")`, `a number (3)`, `null`, `an array`: what a type error says it got. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return `a string (${JSON.stringify(value.length > 40 ? `${cutText(value, 40)}…` : value)})`;
    case 'number':
    case 'boolean':
    case 'bigint':
      return `a ${typeof value} (${String(value)})`;
    case 'function':
      return 'a function';
    case 'object':
      return 'an object';
    default:
      return typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`;
  }
}

/** The known option closest to a misspelt one (edit distance), when it is close enough. */
function closest(name: string, known: readonly string[]): string | undefined {
  if (name.length > 64) return undefined;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}
