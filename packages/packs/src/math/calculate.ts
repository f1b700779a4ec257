import { evaluate } from './evaluate.js';
import { type ParseLimits, parse } from './parse.js';
import { formatValue } from './value.js';

/** The result of {@link calculate}. */
export interface CalculationResult {
  /** The expression as given. */
  expression: string;
  /** The value as a decimal string, e.g. `0.3`, `1267650600228229401496703205376`, `0.33333333333333333333`. */
  result: string;
  /** True when `result` is exactly the value; false when it is rounded (1/3, sqrt(2), pi). */
  exact: boolean;
  /** The exact value as a fraction when the decimal is rounded but the value is rational (`1/3`). */
  fraction?: string | undefined;
}

/**
 * Evaluates an arithmetic expression without `eval`: + - * / % ^ ( ) !, unary minus, functions
 * (sqrt, abs, round, floor, ceil, min, max, log, ln, exp, sin, cos, tan, asin, acos, atan) and
 * constants (pi, e, tau). + - * / % and integer powers are exact (fractions of big integers), so
 * `0.1 + 0.2` is `0.3` and `1/3*3` is `1`. Errors are {@link PackInputError}s with readable messages.
 */
export function calculate(expression: string, limits?: ParseLimits): CalculationResult {
  const formatted = formatValue(evaluate(parse(expression, limits)));
  return { expression, ...formatted };
}
