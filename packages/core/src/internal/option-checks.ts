/**
 * The one home of the option checks every plumb package shares: how a wrong value is described,
 * the did-you-mean for a misspelt option, the shape test of an AbortSignal, integer limits, and the
 * `as const` lists that DeepSeek unions are built from. Each package throws its own error class
 * (core's `ConfigError`, the agent's `AgentConfigError`, a pack's `PackConfigError`): the checks
 * take a `fail(field, message)` that builds it, so the rule and the wording live here once.
 *
 * Not public API: sibling packages import it from `@plumb/core/internal`.
 */

/** Builds the caller's error for a bad option: `field` names the option, `message` says the fix. */
export type OptionFailure = (field: string, message: string) => Error;

/** The `reasoningEffort` values DeepSeek accepts (`none` turns thinking off; the last four are aliases). */
export const REASONING_EFFORTS = [
  'none',
  'low',
  'high',
  'max',
  'minimal',
  'medium',
  'xhigh',
  'ultra',
] as const;

/** DeepSeek's `max_tokens` ceiling (384K, reasoning tokens included). */
export const MAX_OUTPUT_TOKENS = 393_216;

/** A valid `max_tokens`: an integer from 1 to {@link MAX_OUTPUT_TOKENS}. */
export function isMaxTokens(value: unknown): value is number {
  return isPositiveInteger(value) && value <= MAX_OUTPUT_TOKENS;
}

/** DeepSeek's ranges for the sampling numbers, by wire name (`top_p` excludes 0). */
const SAMPLING_RANGES = {
  temperature: { min: 0, max: 2, minExcluded: false },
  top_p: { min: 0, max: 1, minExcluded: true },
  frequency_penalty: { min: -2, max: 2, minExcluded: false },
  presence_penalty: { min: -2, max: 2, minExcluded: false },
} as const;

/** A sampling number's wire name. */
export type SamplingField = keyof typeof SAMPLING_RANGES;

/** The wire names of the sampling numbers, in the order pre-flight checks them. */
export const SAMPLING_FIELDS = Object.keys(SAMPLING_RANGES) as readonly SamplingField[];

/** Whether `value` is a finite number in DeepSeek's range for `field`. */
export function inSamplingRange(field: SamplingField, value: unknown): value is number {
  const { min, max, minExcluded } = SAMPLING_RANGES[field];
  return (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value <= max &&
    (minExcluded ? value > min : value >= min)
  );
}

/** `a number from 0 to 2` / `a number above 0 and at most 1`: the range of `field`, for messages. */
export function samplingRangeText(field: SamplingField): string {
  const { min, max, minExcluded } = SAMPLING_RANGES[field];
  return minExcluded ? `a number above ${min} and at most ${max}` : `a number from ${min} to ${max}`;
}

const USER_ID = /^[a-zA-Z0-9_-]{1,512}$/;

/** A valid DeepSeek `user_id`: 1 to 512 letters, digits, `_` or `-`. */
export function isUserId(value: unknown): value is string {
  return typeof value === 'string' && USER_ID.test(value);
}

/** The methods a logger must have (a pino logger fits). */
const LOGGER_METHODS = ['debug', 'info', 'warn', 'error'] as const;

/** `'a', 'b' or 'c'`: every accepted value of a union, for "expected ..." in messages. */
export function listValues(values: readonly string[]): string {
  const quoted = values.map((value) => `'${value}'`);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}

/** Whether `value` is one of `values` (and so narrows to the union built from that list). */
function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return (values as readonly unknown[]).includes(value);
}

/** Cuts a string to `max` characters without splitting a surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return `${text.slice(0, end)}…`;
}

/** `a string ("abc")`, `a number (42)`, `null`, `an array`: what a type error says it got (never a whole value). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return `a string (${JSON.stringify(cut(value, 40))})`;
    case 'number':
    case 'boolean':
      return `a ${typeof value} (${String(value)})`;
    case 'bigint':
      return `a bigint (${String(value)}n)`;
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
    default:
      return 'an object';
  }
}

/** Levenshtein distance, case-insensitive (option names are short). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return row[b.length] as number;
}

/** The closest of `known` to `name` (case-insensitive), if it is close enough to be a typo. */
export function didYouMean(
  name: string,
  known: readonly string[],
  maxDistance: number = Math.max(2, Math.floor(name.length / 3)),
): string | undefined {
  if (name.length > 64) return undefined;
  const lower = name.toLowerCase();
  // A shortened name (`maxRetry`, `maxConcurr`) shares nearly all of itself with the option.
  for (const candidate of known) {
    const other = candidate.toLowerCase();
    let common = 0;
    while (common < lower.length && lower[common] === other[common]) common++;
    if (common >= 4 && common >= lower.length - 2) return candidate;
  }
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const d = distance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= maxDistance ? best : undefined;
}

/** The first key of `options` not in `known`: the key, how to quote it, and the likely meant one. */
export interface UnknownKey {
  readonly key: string;
  /** The key as JSON, cut to 64 characters (a key can be anything a caller spread in). */
  readonly shown: string;
  readonly guess: string | undefined;
}

/** Finds the first key of `options` that is not in `known` (own enumerable keys only). */
export function findUnknownKey(options: object, known: readonly string[]): UnknownKey | undefined {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    return { key, shown: JSON.stringify(cut(key, 64)), guess: didYouMean(key, known) };
  }
  return undefined;
}

/** An object that is not an array nor null: what an options object must be. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An AbortSignal from any realm or copy of the DOM types: checked by shape, not `instanceof`. */
function isAbortSignal(value: unknown): value is AbortSignal {
  const candidate = value as Partial<AbortSignal> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.aborted === 'boolean' &&
    typeof candidate.addEventListener === 'function'
  );
}

/** A `signal` option: undefined or an AbortSignal. */
export function checkSignal(value: unknown, fail: OptionFailure, field = 'signal'): AbortSignal | undefined {
  if (value === undefined) return undefined;
  if (isAbortSignal(value)) return value;
  throw fail(
    field,
    `Expected \`${field}\` to be an AbortSignal (e.g. new AbortController().signal), got ${describeValue(value)}.`,
  );
}

/** The logger methods `value` lacks (all of them when it is not an object). */
function missingLoggerMethods(value: unknown): (typeof LOGGER_METHODS)[number][] {
  if (typeof value !== 'object' || value === null) return [...LOGGER_METHODS];
  return LOGGER_METHODS.filter((method) => typeof (value as Record<string, unknown>)[method] !== 'function');
}

/** `logger`: undefined, or an object with debug, info, warn and error methods (a pino logger fits). */
export function checkLogger(value: unknown, fail: OptionFailure, field = 'logger'): void {
  if (value === undefined) return;
  const missing = missingLoggerMethods(value);
  if (missing.length === 0) return;
  throw fail(
    field,
    typeof value === 'object' && value !== null
      ? `Expected \`${field}\` to have debug, info, warn and error methods (a pino logger fits); it has no ${missing.join(', ')} method.`
      : `Expected \`${field}\` to be a pino logger (or any object with debug, info, warn and error methods), got ${describeValue(value)}.`,
  );
}

/** A whole number >= 1. */
export function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

/** A whole number >= 0. */
function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** A positive integer option (a count, a size), or its default. */
export function positiveInteger(
  field: string,
  value: unknown,
  fallback: number,
  fail: OptionFailure,
): number {
  if (value === undefined) return fallback;
  if (isPositiveInteger(value)) return value;
  throw fail(field, `Expected \`${field}\` to be a positive integer, got ${describeValue(value)}.`);
}

/** `maxRetries` (or another retry count): a non-negative integer, or its default. */
export function checkRetries(
  value: unknown,
  fallback: number,
  fail: OptionFailure,
  field = 'maxRetries',
): number {
  if (value === undefined) return fallback;
  if (isNonNegativeInteger(value)) return value;
  throw fail(field, `Expected \`${field}\` to be a non-negative integer, got ${describeValue(value)}.`);
}

/** One of the values of an `as const` list; the message lists every accepted value. */
export function checkOneOf<T extends string>(
  field: string,
  value: unknown,
  values: readonly T[],
  fail: OptionFailure,
): T | undefined {
  if (value === undefined || isOneOf(values, value)) return value;
  throw fail(field, `Expected \`${field}\` to be one of ${listValues(values)}, got ${describeValue(value)}.`);
}
