import { PackInputError } from '../errors.js';
import { bitLength, type Rational, rational, significantDigits, toNumber } from './rational.js';

/** A computed value: an exact fraction, or an IEEE double when exactness was lost. */
export type Value = { exact: true; q: Rational } | { exact: false; x: number };

/** Exact values larger than this many bits (about 12 000 digits) continue as doubles. */
export const MAX_BITS = 40_000;

/** Decimal exponents allowed in number literals (`1e-5000` is fine, `1e99999` is not). */
const MAX_LITERAL_EXPONENT = 5000;

export const exact = (q: Rational): Value => ({ exact: true, q });

/** An inexact value; infinities and NaN become errors that name what went wrong. */
export function approximate(x: number, what: string): Value {
  if (Number.isNaN(x)) {
    throw new PackInputError('domain_error', `${what} is not a real number.`);
  }
  if (!Number.isFinite(x)) {
    throw new PackInputError('too_large', `${what} is too large to compute (beyond about 1.8e308).`);
  }
  return { exact: false, x };
}

/** Keeps an exact result exact unless it grew past {@link MAX_BITS}. */
export function bounded(q: Rational, what: string): Value {
  if (bitLength(q.num) > MAX_BITS || bitLength(q.den) > MAX_BITS) return approximate(toNumber(q), what);
  return exact(q);
}

export function toDouble(value: Value): number {
  return value.exact ? toNumber(value.q) : value.x;
}

/** Reads a decimal literal such as `12`, `0.5`, `.25` or `6.02e23` exactly. */
export function parseLiteral(text: string): Value {
  const match = /^(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text)!;
  const whole = match[1] ?? '';
  const fraction = match[2] ?? '';
  const exponentText = match[3] ?? '0';
  const exponent =
    exponentText.length > 6 ? Number.POSITIVE_INFINITY : Number(exponentText) - fraction.length;
  if (Math.abs(exponent) > MAX_LITERAL_EXPONENT) {
    throw new PackInputError(
      'too_large',
      `The number ${text.slice(0, 40)} has an exponent beyond ±${MAX_LITERAL_EXPONENT}; that is outside what this calculator handles.`,
    );
  }
  const digits = BigInt(`${whole}${fraction}` || '0');
  return bounded(
    exponent >= 0 ? rational(digits * 10n ** BigInt(exponent)) : rational(digits, 10n ** BigInt(-exponent)),
    `The number ${text.slice(0, 40)}`,
  );
}

/** A result as shown to the model. */
export interface Formatted {
  result: string;
  exact: boolean;
  fraction?: string | undefined;
}

const MAX_DIGITS = 1000;
const APPROXIMATE_DIGITS = 20;

/** Formats a value: exact decimals in full when short enough, otherwise rounded and marked. */
export function formatValue(value: Value): Formatted {
  if (!value.exact) return { result: formatDouble(value.x), exact: false };
  const { num, den } = value.q;
  const decimal = terminatingDecimal(num, den);
  if (decimal !== undefined) return { result: decimal, exact: true };
  const { digits, exponent } = significantDigits(value.q, APPROXIMATE_DIGITS);
  const fraction = `${num}/${den}`;
  return {
    result: scientificOrPlain(num < 0n, digits.replace(/0+$/, '') || '0', exponent),
    exact: false,
    ...(fraction.length <= 200 ? { fraction } : {}),
  };
}

function formatDouble(x: number): string {
  const rounded = Number(x.toPrecision(15));
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

/** The exact decimal expansion when `den` is 2^a·5^b and the text is not absurdly long. */
function terminatingDecimal(num: bigint, den: bigint): string | undefined {
  let rest = den;
  let twos = 0;
  let fives = 0;
  while (rest % 2n === 0n) {
    rest /= 2n;
    twos++;
  }
  while (rest % 5n === 0n) {
    rest /= 5n;
    fives++;
  }
  if (rest !== 1n) return undefined;
  const places = Math.max(twos, fives);
  const scaled = (num < 0n ? -num : num) * (10n ** BigInt(places) / den);
  const digits = scaled.toString();
  if (digits.length > MAX_DIGITS) return undefined;
  const exponent = digits.length - 1 - places;
  if (places > 0 && exponent < -20) return scientificOrPlain(num < 0n, digits.replace(/0+$/, ''), exponent);
  const sign = num < 0n ? '-' : '';
  if (places === 0) return `${sign}${digits}`;
  const padded = digits.padStart(places + 1, '0');
  return `${sign}${padded.slice(0, -places)}.${padded.slice(-places)}`;
}

function scientificOrPlain(negative: boolean, digits: string, exponent: number): string {
  const sign = negative ? '-' : '';
  if (exponent >= -7 && exponent < 21) {
    if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
    if (digits.length <= exponent + 1) return `${sign}${digits.padEnd(exponent + 1, '0')}`;
    return `${sign}${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
  }
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${sign}${mantissa}e${exponent < 0 ? '-' : '+'}${Math.abs(exponent)}`;
}
