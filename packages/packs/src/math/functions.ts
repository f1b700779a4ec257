import { PackInputError } from '../errors.js';
import { compare, exactRoot, isInteger, multiply, power, rational, toInteger } from './rational.js';
import { approximate, exact, toDouble, type Value } from './value.js';

/** A function callable from an expression. */
export interface MathFunction {
  minArgs: number;
  maxArgs: number;
  /** How to call it, for error messages. */
  usage: string;
  apply(args: Value[]): Value;
}

const one = (apply: (x: Value) => Value): MathFunction => ({
  minArgs: 1,
  maxArgs: 1,
  usage: 'one argument',
  apply: (args) => apply(args[0]!),
});

/** A function of a double; the result is inexact. */
const real = (name: string, fn: (x: number) => number, domain?: (x: number) => boolean): MathFunction =>
  one((value) => {
    const x = toDouble(value);
    if (domain && !domain(x)) {
      throw new PackInputError('domain_error', `${name}(${formatArg(x)}) is undefined (outside its domain).`);
    }
    return approximate(fn(x), `${name}(${formatArg(x)})`);
  });

/**
 * Trigonometric results below the rounding error of their argument are zero: sin(pi) is 0, not
 * 1.2e-16, because pi itself is only known to 16 digits.
 */
const trig = (name: string, fn: (x: number) => number): MathFunction =>
  real(name, (x) => {
    const result = fn(x);
    return Math.abs(result) < 4 * Math.abs(x) * Number.EPSILON ? 0 : result;
  });

const rounding = (mode: 'floor' | 'ceil'): MathFunction =>
  one((value) =>
    value.exact ? exact(rational(toInteger(value.q, mode))) : approximate(Math[mode](value.x), mode),
  );

const extreme = (name: 'min' | 'max'): MathFunction => ({
  minArgs: 1,
  maxArgs: 100,
  usage: 'one or more arguments',
  apply(args) {
    let best = args[0]!;
    for (const value of args.slice(1)) {
      const order =
        best.exact && value.exact ? compare(value.q, best.q) : Math.sign(toDouble(value) - toDouble(best));
      if ((name === 'min' && order < 0) || (name === 'max' && order > 0)) best = value;
    }
    return best;
  },
});

/** The functions expressions may call. Angles are in radians. */
export const FUNCTIONS: Record<string, MathFunction> = {
  sqrt: one((value) => {
    if (toDouble(value) < 0) {
      throw new PackInputError('domain_error', 'sqrt of a negative number is not a real number.');
    }
    if (value.exact) {
      const num = exactRoot(value.q.num, 2n);
      const den = exactRoot(value.q.den, 2n);
      if (num !== undefined && den !== undefined) return exact(rational(num, den));
    }
    return approximate(Math.sqrt(toDouble(value)), 'sqrt');
  }),
  abs: one((value) =>
    value.exact
      ? exact({ num: value.q.num < 0n ? -value.q.num : value.q.num, den: value.q.den })
      : approximate(Math.abs(value.x), 'abs'),
  ),
  round: {
    minArgs: 1,
    maxArgs: 2,
    usage: 'round(x) or round(x, decimals) with decimals from -100 to 100',
    apply([value, places]) {
      let digits = 0;
      if (places !== undefined) {
        if (!places.exact || !isInteger(places.q) || places.q.num < -100n || places.q.num > 100n) {
          throw new PackInputError(
            'wrong_arguments',
            'round(x, decimals): decimals must be a whole number from -100 to 100.',
          );
        }
        digits = Number(places.q.num);
      }
      if (!value!.exact) {
        const factor = 10 ** digits;
        const x = value!.x;
        return approximate((Math.sign(x) * Math.round(Math.abs(x) * factor)) / factor, 'round');
      }
      const scale = power(rational(10n), BigInt(digits));
      const rounded = toInteger(multiply(value!.q, scale), 'round');
      return exact(multiply(rational(rounded), power(rational(10n), BigInt(-digits))));
    },
  },
  floor: rounding('floor'),
  ceil: rounding('ceil'),
  min: extreme('min'),
  max: extreme('max'),
  log: {
    minArgs: 1,
    maxArgs: 2,
    usage: 'log(x) (base 10) or log(x, base)',
    apply([value, base]) {
      const x = toDouble(value!);
      if (x <= 0) throw new PackInputError('domain_error', 'log is only defined for positive numbers.');
      if (base === undefined) return approximate(Math.log10(x), 'log');
      const b = toDouble(base);
      if (b <= 0 || b === 1)
        throw new PackInputError('domain_error', 'The base of log must be positive and not 1.');
      return approximate(Math.log(x) / Math.log(b), 'log');
    },
  },
  ln: real('ln', Math.log, (x) => x > 0),
  exp: real('exp', Math.exp),
  sin: trig('sin', Math.sin),
  cos: trig('cos', Math.cos),
  tan: trig('tan', Math.tan),
  asin: real('asin', Math.asin, (x) => x >= -1 && x <= 1),
  acos: real('acos', Math.acos, (x) => x >= -1 && x <= 1),
  atan: real('atan', Math.atan),
};

function formatArg(x: number): string {
  return String(Number(x.toPrecision(10)));
}
