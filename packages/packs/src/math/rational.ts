/** An exact fraction `num / den` in lowest terms, with `den > 0`. */
export interface Rational {
  num: bigint;
  den: bigint;
}

/** Builds a fraction in lowest terms. `den` must not be 0. */
export function rational(num: bigint, den = 1n): Rational {
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const divisor = gcd(num < 0n ? -num : num, den);
  return divisor === 1n ? { num, den } : { num: num / divisor, den: den / divisor };
}

export function add(a: Rational, b: Rational): Rational {
  if (a.den === b.den) return rational(a.num + b.num, a.den);
  return rational(a.num * b.den + b.num * a.den, a.den * b.den);
}

export function subtract(a: Rational, b: Rational): Rational {
  return add(a, { num: -b.num, den: b.den });
}

export function multiply(a: Rational, b: Rational): Rational {
  return rational(a.num * b.num, a.den * b.den);
}

/** `a / b`; `b` must not be zero. */
export function divide(a: Rational, b: Rational): Rational {
  return rational(a.num * b.den, a.den * b.num);
}

/** Remainder with the sign of the dividend, like JavaScript's `%`: `a - b * trunc(a / b)`. */
export function remainder(a: Rational, b: Rational): Rational {
  const quotient = (a.num * b.den) / (a.den * b.num);
  return subtract(a, multiply(b, { num: quotient, den: 1n }));
}

/** `a ^ n` for an integer `n`; `a` must not be zero when `n < 0`. */
export function power(a: Rational, n: bigint): Rational {
  if (n < 0n) return power({ num: a.den, den: a.num }, -n);
  return rational(a.num ** n, a.den ** n);
}

export function compare(a: Rational, b: Rational): number {
  const left = a.num * b.den;
  const right = b.num * a.den;
  return left < right ? -1 : left > right ? 1 : 0;
}

export function isInteger(a: Rational): boolean {
  return a.den === 1n;
}

/** Rounds to an integer: `floor`, `ceil`, or half away from zero (`round`). */
export function toInteger(a: Rational, mode: 'floor' | 'ceil' | 'round'): bigint {
  const truncated = a.num / a.den;
  const rest = a.num % a.den;
  if (rest === 0n) return truncated;
  if (mode === 'floor') return a.num < 0n ? truncated - 1n : truncated;
  if (mode === 'ceil') return a.num < 0n ? truncated : truncated + 1n;
  const twice = (rest < 0n ? -rest : rest) * 2n;
  if (twice < a.den) return truncated;
  return a.num < 0n ? truncated - 1n : truncated + 1n;
}

/** The exact integer `k`-th root of `n >= 0`, or undefined when `n` is not a perfect power. */
export function exactRoot(n: bigint, k: bigint): bigint | undefined {
  if (n < 2n) return n;
  const root = integerRoot(n, k);
  return root ** k === n ? root : undefined;
}

/** The largest `r` with `r ^ k <= n` (Newton's method), for `n >= 0`, `k >= 1`. */
function integerRoot(n: bigint, k: bigint): bigint {
  if (n < 2n) return n;
  const bits = BigInt(n.toString(2).length);
  let x = 1n << (bits / k + 1n);
  for (;;) {
    const next = ((k - 1n) * x + n / x ** (k - 1n)) / k;
    if (next >= x) return x;
    x = next;
  }
}

/** The number of bits in `|n|`, cheaply estimated from its hex length (exact to within 3). */
export function bitLength(n: bigint): number {
  if (n === 0n) return 0;
  return (n < 0n ? -n : n).toString(16).length * 4;
}

/** The nearest double (correct to about 17 significant digits, for huge and tiny values too). */
export function toNumber(a: Rational): number {
  const direct = Number(a.num) / Number(a.den);
  if (Number.isFinite(direct) && direct !== 0) return direct;
  if (a.num === 0n) return 0;
  const { digits, exponent } = significantDigits(a, 17);
  return Number(`${a.num < 0n ? '-' : ''}${digits[0]}.${digits.slice(1)}e${exponent}`);
}

/**
 * The first `count` significant decimal digits of `|a|` (truncated, then rounded half up on the
 * next digit) and the decimal exponent of the first one: 1/3 with 5 digits is `33333`, -1.
 */
export function significantDigits(a: Rational, count: number): { digits: string; exponent: number } {
  const num = a.num < 0n ? -a.num : a.num;
  let exponent = num.toString().length - a.den.toString().length;
  if (
    compare(
      { num, den: a.den },
      { num: 10n ** BigInt(Math.max(exponent, 0)), den: 10n ** BigInt(Math.max(-exponent, 0)) },
    ) < 0
  ) {
    exponent--;
  }
  const shift = count - 1 - exponent;
  const scaledNum = shift >= 0 ? num * 10n ** BigInt(shift) : num;
  const scaledDen = shift >= 0 ? a.den : a.den * 10n ** BigInt(-shift);
  let digits = (scaledNum * 2n + scaledDen) / (scaledDen * 2n);
  if (digits.toString().length > count) {
    digits /= 10n;
    exponent++;
  }
  return { digits: digits.toString(), exponent };
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}
