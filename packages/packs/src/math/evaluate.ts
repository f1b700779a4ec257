import { PackInputError } from '../errors.js';
import { FUNCTIONS } from './functions.js';
import type { Node } from './parse.js';
import {
  add,
  bitLength,
  divide,
  exactRoot,
  isInteger,
  multiply,
  power,
  rational,
  remainder,
  subtract,
} from './rational.js';
import type { Operator } from './tokenize.js';
import { approximate, bounded, exact, MAX_BITS, parseLiteral, toDouble, type Value } from './value.js';

const CONSTANTS: Record<string, Value> = {
  pi: { exact: false, x: Math.PI },
  e: { exact: false, x: Math.E },
  tau: { exact: false, x: 2 * Math.PI },
};

/** Largest `n` accepted by `n!`. */
const MAX_FACTORIAL = 1000;

/** Evaluates a parsed expression. Exact fractions stay exact for + - * / % ^ (integer powers). */
export function evaluate(node: Node): Value {
  switch (node.kind) {
    case 'number':
      return parseLiteral(node.text);
    case 'name': {
      if (Object.hasOwn(CONSTANTS, node.name)) return CONSTANTS[node.name]!;
      const hint = Object.hasOwn(FUNCTIONS, node.name)
        ? ` ${node.name} is a function: write ${node.name}(x).`
        : '';
      throw new PackInputError(
        'unknown_name',
        `Unknown name "${node.name}" at position ${node.position + 1}.${hint} Known constants: pi, e, tau. Variables are not supported.`,
      );
    }
    case 'negate': {
      const value = evaluate(node.operand);
      return value.exact ? exact({ num: -value.q.num, den: value.q.den }) : { exact: false, x: -value.x };
    }
    case 'factorial': {
      // `3!!!` nests without a depth limit: unwind it in a loop, not by recursion.
      let count = 0;
      let operand: Node = node;
      while (operand.kind === 'factorial') {
        count++;
        operand = operand.operand;
      }
      let value = evaluate(operand);
      for (let i = 0; i < count; i++) value = factorial(value);
      return value;
    }
    case 'binary': {
      if (node.operator === '^') return binary('^', evaluate(node.left), evaluate(node.right));
      // `1+1+1+...` is a left spine as long as the expression: fold it in a loop, not by
      // recursion, so a long expression cannot overflow the stack. (`^` nests to the right,
      // within the parser's depth limit.)
      const steps: { operator: Operator; right: Node }[] = [];
      let left: Node = node;
      while (left.kind === 'binary' && left.operator !== '^') {
        steps.push({ operator: left.operator, right: left.right });
        left = left.left;
      }
      let value = evaluate(left);
      for (let i = steps.length - 1; i >= 0; i--) {
        value = binary(steps[i]!.operator, value, evaluate(steps[i]!.right));
      }
      return value;
    }
    case 'call': {
      const fn = Object.hasOwn(FUNCTIONS, node.name) ? FUNCTIONS[node.name] : undefined;
      if (!fn) {
        throw new PackInputError(
          'unknown_function',
          `Unknown function "${node.name}". Available: ${Object.keys(FUNCTIONS).join(', ')}.`,
        );
      }
      if (node.args.length < fn.minArgs || node.args.length > fn.maxArgs) {
        throw new PackInputError(
          'wrong_arguments',
          `${node.name}() takes ${fn.usage}; got ${node.args.length}.`,
        );
      }
      return fn.apply(node.args.map(evaluate));
    }
  }
}

function binary(operator: Operator, left: Value, right: Value): Value {
  if ((operator === '/' || operator === '%') && isZero(right)) {
    throw new PackInputError(
      'division_by_zero',
      operator === '/' ? 'Division by zero.' : 'Remainder by zero (x % 0) is undefined.',
    );
  }
  if (operator === '^') return raise(left, right);
  if (left.exact && right.exact) {
    const what = `The result of ${operator}`;
    switch (operator) {
      case '+':
        return bounded(add(left.q, right.q), what);
      case '-':
        return bounded(subtract(left.q, right.q), what);
      case '*':
        return bounded(multiply(left.q, right.q), what);
      case '/':
        return bounded(divide(left.q, right.q), what);
      case '%':
        return bounded(remainder(left.q, right.q), what);
    }
  }
  const a = toDouble(left);
  const b = toDouble(right);
  const what = `The result of ${operator}`;
  switch (operator) {
    case '+':
      return approximate(a + b, what);
    case '-':
      return approximate(a - b, what);
    case '*':
      return approximate(a * b, what);
    case '/':
      return approximate(a / b, what);
    default:
      return approximate(a % b, what);
  }
}

function raise(base: Value, exponent: Value): Value {
  if (base.exact && exponent.exact) {
    const { q } = base;
    const { num: p, den: k } = exponent.q;
    if (q.num === 0n && p < 0n)
      throw new PackInputError('division_by_zero', 'Zero to a negative power is a division by zero.');
    if (q.num === 0n) return exact(p === 0n ? rational(1n) : q);
    if (q.num === q.den) return exact(q);
    if (q.num === -q.den && k === 1n) return exact(rational(p % 2n === 0n ? 1n : -1n));
    const magnitude = p < 0n ? -p : p;
    const fits =
      magnitude * BigInt(Math.max(bitLength(q.num), bitLength(q.den))) <= BigInt(MAX_BITS) * k && k <= 64n;
    if (fits) {
      const root = exactRationalRoot(q, k);
      if (root) return bounded(power(root, p), 'The power');
    }
  }
  const a = toDouble(base);
  const b = toDouble(exponent);
  if (a < 0 && !Number.isInteger(b)) {
    const odd = exponent.exact && exponent.q.den % 2n === 1n;
    if (odd) return approximate(-((-a) ** b), 'The power');
    throw new PackInputError(
      'domain_error',
      'A negative number to a fractional power is not a real number (try an odd root such as (-8)^(1/3)).',
    );
  }
  return approximate(a ** b, 'The power');
}

/** `q^(1/k)` when it is exactly representable (`(9/4)^(1/2)` is 3/2), else undefined. */
function exactRationalRoot(q: { num: bigint; den: bigint }, k: bigint) {
  if (k === 1n) return q;
  const negative = q.num < 0n;
  if (negative && k % 2n === 0n) return undefined;
  const num = exactRoot(negative ? -q.num : q.num, k);
  const den = exactRoot(q.den, k);
  if (num === undefined || den === undefined) return undefined;
  return rational(negative ? -num : num, den);
}

function factorial(value: Value): Value {
  if (!value.exact || !isInteger(value.q) || value.q.num < 0n || value.q.num > BigInt(MAX_FACTORIAL)) {
    throw new PackInputError(
      'domain_error',
      `Factorial (n!) needs a whole number from 0 to ${MAX_FACTORIAL}.`,
    );
  }
  let result = 1n;
  for (let i = 2n; i <= value.q.num; i++) result *= i;
  return exact(rational(result));
}

function isZero(value: Value): boolean {
  return value.exact ? value.q.num === 0n : value.x === 0;
}
