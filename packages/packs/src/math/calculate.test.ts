import { describe, expect, it } from 'vitest';
import { PackInputError } from '../errors.js';
import { calculate } from './calculate.js';

const value = (expression: string) => calculate(expression).result;

function failure(expression: string, limits?: Parameters<typeof calculate>[1]): PackInputError {
  try {
    calculate(expression, limits);
  } catch (error) {
    expect(error).toBeInstanceOf(PackInputError);
    return error as PackInputError;
  }
  throw new Error(`expected "${expression}" to fail`);
}

describe('calculate: exact arithmetic', () => {
  it.each([
    ['0.1 + 0.2', '0.3'],
    ['1/3*3', '1'],
    ['1 - 0.9', '0.1'],
    ['1.1 * 1.1', '1.21'],
    ['2^100', '1267650600228229401496703205376'],
    ['2^-3', '0.125'],
    ['-2^2', '-4'],
    ['(-2)^2', '4'],
    ['2^3^2', '512'],
    ['2**10', '1024'],
    ['7 % 3', '1'],
    ['-7 % 3', '-1'],
    ['5.5 % 2', '1.5'],
    ['10 / 4', '2.5'],
    ['1e3 + 1', '1001'],
    ['.5 + 1.', '1.5'],
    ['123456789012345678901234567890 + 1', '123456789012345678901234567891'],
    ['99999999999999999 + 2', '100000000000000001'],
    ['20!', '2432902008176640000'],
    ['3 × 4 ÷ 2 − 1', '5'],
    ['--3', '3'],
    ['+3', '3'],
    ['1e-30', '1e-30'],
    ['0.000001', '0.000001'],
  ])('%s = %s', (expression, expected) => {
    const result = calculate(expression);
    expect(result.result).toBe(expected);
    expect(result.exact).toBe(true);
  });

  it('gives a rounded decimal and the exact fraction for non-terminating results', () => {
    expect(calculate('1/3')).toEqual({
      expression: '1/3',
      result: '0.33333333333333333333',
      exact: false,
      fraction: '1/3',
    });
    expect(calculate('-2/7')).toMatchObject({ result: '-0.28571428571428571429', fraction: '-2/7' });
    expect(calculate('10^30/3')).toMatchObject({ result: '3.3333333333333333333e+29', exact: false });
  });

  it('keeps exact roots exact and marks irrational ones', () => {
    expect(calculate('sqrt(16)')).toMatchObject({ result: '4', exact: true });
    expect(calculate('sqrt(2.25)')).toMatchObject({ result: '1.5', exact: true });
    expect(calculate('(9/4)^(1/2)')).toMatchObject({ result: '1.5', exact: true });
    expect(calculate('(-8)^(1/3)')).toMatchObject({ result: '-2', exact: true });
    expect(calculate('sqrt(2)')).toMatchObject({ result: '1.4142135623731', exact: false });
    expect(calculate('2^0.5')).toMatchObject({ result: '1.4142135623731', exact: false });
    expect(calculate('(-2)^(1/3)').result).toBe('-1.25992104989487');
  });
});

describe('calculate: functions and constants', () => {
  it.each([
    ['abs(-3.5)', '3.5'],
    ['round(2.5)', '3'],
    ['round(-2.5)', '-3'],
    ['round(3.14159, 2)', '3.14'],
    ['round(1234, -2)', '1200'],
    ['floor(-1.5)', '-2'],
    ['ceil(1.2)', '2'],
    ['min(3, 1, 2)', '1'],
    ['max(3, 1/2, 2.5)', '3'],
    ['log(1000)', '3'],
    ['log(8, 2)', '3'],
    ['ln(e)', '1'],
    ['sin(pi)', '0'],
    ['cos(pi)', '-1'],
    ['tan(0)', '0'],
    ['sin(pi/6)', '0.5'],
    ['sin(1e-20)', '1e-20'],
    ['exp(0)', '1'],
    ['atan(1)*4', '3.14159265358979'],
    ['PI', '3.14159265358979'],
    ['π * 2', '6.28318530717959'],
  ])('%s = %s', (expression, expected) => {
    expect(value(expression)).toBe(expected);
  });
});

describe('calculate: refuses bad input clearly', () => {
  it.each([
    ['1/0', 'division_by_zero', 'Division by zero'],
    ['5 % 0', 'division_by_zero', 'Remainder by zero'],
    ['0^-1', 'division_by_zero', 'negative power'],
    ['1/(2-2)', 'division_by_zero', 'Division by zero'],
    ['1/sin(0)', 'division_by_zero', 'Division by zero'],
    ['sqrt(-1)', 'domain_error', 'not a real number'],
    ['ln(0)', 'domain_error', 'ln(0)'],
    ['log(-5)', 'domain_error', 'positive'],
    ['asin(2)', 'domain_error', 'asin(2)'],
    ['(-8)^0.5', 'domain_error', 'fractional power'],
    ['2.5!', 'domain_error', 'whole number'],
    ['', 'syntax_error', 'empty'],
    ['1 +', 'syntax_error', 'ends too early'],
    ['(1 + 2', 'syntax_error', 'Missing ")"'],
    ['1 + 2)', 'syntax_error', 'Unmatched ")"'],
    ['2pi', 'syntax_error', '2*pi'],
    ['1 2', 'syntax_error', 'Expected an operator'],
    ['* 3', 'syntax_error', 'Unexpected "*"'],
    ['max()', 'wrong_arguments', 'one or more'],
    ['sqrt(1, 2)', 'wrong_arguments', 'one argument'],
    ['round(1, 0.5)', 'wrong_arguments', 'whole number'],
    ['x + 1', 'unknown_name', 'Variables are not supported'],
    ['sqrt + 1', 'unknown_name', 'write sqrt(x)'],
    ['foo(1)', 'unknown_function', 'Available: sqrt'],
    ['process.exit(1)', 'syntax_error', 'Unexpected character "."'],
    ['alert`1`', 'syntax_error', 'Unexpected character "`"'],
    ['1; 2', 'syntax_error', 'Unexpected character ";"'],
    ['constructor.constructor("return 1")()', 'syntax_error', 'Unexpected character'],
    ['__proto__', 'unknown_name', '__proto__'],
    ['toString(1)', 'unknown_function', 'tostring'],
    ['constructor(1)', 'unknown_function', 'constructor'],
    ['hasOwnProperty', 'unknown_name', 'hasownproperty'],
  ])('%s -> %s', (expression, code, message) => {
    const error = failure(expression);
    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
  });
});

describe('calculate: hostile input stays cheap', () => {
  it('refuses input over the length limit', () => {
    expect(failure(`${'1+'.repeat(600)}1`).code).toBe('too_long');
    expect(failure('1+1', { maxLength: 2 }).message).toContain('limit is 2');
  });

  it('refuses nesting beyond the depth limit instead of overflowing the stack', () => {
    expect(failure(`${'('.repeat(200)}1${')'.repeat(200)}`).code).toBe('too_deep');
    expect(failure(`${'-'.repeat(500)}1`).code).toBe('too_deep');
    expect(failure(`2${'^2'.repeat(100)}`).code).toBe('too_deep');
    expect(failure(`${'sqrt('.repeat(80)}4${')'.repeat(80)}`).code).toBe('too_deep');
  });

  it('huge powers become approximate or a clear error, without computing giant integers', () => {
    expect(failure('9^9^9').code).toBe('too_large');
    expect(failure('2^(10^100)').code).toBe('too_large');
    expect(failure('10^(10^6)').code).toBe('too_large');
    expect(calculate('10^400')).toMatchObject({ exact: true });
    expect(failure('1000!!').code).toBe('domain_error');
    expect(failure('1e999999').code).toBe('too_large');
    expect(calculate('2^1000').exact).toBe(true);
    expect(calculate('1.0000001^1000000')).toMatchObject({ exact: false });
    expect(calculate('0.5^100000')).toMatchObject({ result: '0', exact: false });
    expect(calculate('1^(10^100)')).toMatchObject({ result: '1', exact: true });
    expect(calculate('(-1)^(10^100+1)')).toMatchObject({ result: '-1', exact: true });
  });

  it('a long exact integer is shown rounded once it passes 1000 digits', () => {
    expect(calculate('2^3000')).toMatchObject({ exact: true });
    const big = calculate('2^4000');
    expect(big.exact).toBe(false);
    expect(big.result).toMatch(/^1\.31\d+e\+1204$/);
  });
});

// Model-written expressions of 1 MB are refused by length before tokenizing (the bench's
// "hostile input" scenario records the time; the test checks the result).
describe('1 MB hostile input', () => {
  it.each([
    ['a long sum', '1+'.repeat(500_000)],
    ['deep parentheses', '('.repeat(1_000_000)],
    ['one long number', '9'.repeat(1_000_000)],
  ])('%s is refused as too long', (_label, expression) => {
    expect(failure(expression).code).toBe('too_long');
  });

  it('with a raised maxLength, parsing stays linear and nesting stays bounded', () => {
    const limits = { maxLength: 2_000_000 };
    expect(calculate('1+'.repeat(100_000).concat('1'), limits).result).toBe('100001');
    expect(failure('('.repeat(1_000_000), limits).code).toBe('too_deep');
    expect(calculate(`1${'!'.repeat(100_000)}`, limits).result).toBe('1');
  });
});
