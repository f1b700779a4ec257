import { describeValue, findUnknownKey, isPositiveInteger, isRecord } from '@plumb/core/internal';
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
  test: isPositiveInteger,
};
export const STRINGS: OptionType = {
  expected: 'an array of strings',
  test: (v) => Array.isArray(v) && v.every((entry) => typeof entry === 'string'),
};
export const RECORD: OptionType = { expected: 'an object', test: isRecord };

/** `a` or `b`: e.g. `prefix` is `true or false, or a string`. */
function either(a: OptionType, b: OptionType): OptionType {
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
  if (!isRecord(options)) {
    throw new PackConfigError(`${pack}: the options must be an object, got ${describeValue(options)}.`);
  }
  const known = Object.keys(types);
  const unknown = findUnknownKey(options, known);
  if (unknown !== undefined) {
    throw new PackConfigError(
      `${pack}: unknown option ${unknown.shown}${unknown.guess ? `: did you mean ${unknown.guess}?` : '.'} Known options: ${known.join(', ')}.`,
    );
  }
  for (const [key, value] of Object.entries(options)) {
    const type = types[key] as OptionType;
    if (value !== undefined && !type.test(value)) {
      throw new PackConfigError(`${pack}: ${key} must be ${type.expected}, got ${describeValue(value)}.`);
    }
  }
}
