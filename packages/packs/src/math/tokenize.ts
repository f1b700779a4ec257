import { PackInputError } from '../errors.js';

/** One token of an arithmetic expression. `position` is the 0-based index in the input. */
export type Token =
  | { type: 'number'; text: string; position: number }
  | { type: 'name'; name: string; position: number }
  | { type: 'operator'; operator: Operator; position: number }
  | { type: 'open' | 'close' | 'comma' | 'factorial'; position: number };

/** Binary operators. `**` is read as `^`. */
export type Operator = '+' | '-' | '*' | '/' | '%' | '^';

const SINGLE: Record<string, Operator> = {
  '+': '+',
  '-': '-',
  '\u2212': '-',
  '*': '*',
  '\u00d7': '*',
  '\u22c5': '*',
  '/': '/',
  '\u00f7': '/',
  '%': '%',
  '^': '^',
};

/** Splits an expression into tokens; any character it does not know is a clear error. */
export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const char = input[i]!;
    const code = input.charCodeAt(i);
    if (char === ' ' || char === '\t' || char === '\n' || char === '\r') {
      i++;
    } else if (isDigit(code) || (char === '.' && isDigit(input.charCodeAt(i + 1)))) {
      const start = i;
      while (isDigit(input.charCodeAt(i))) i++;
      if (input[i] === '.') {
        i++;
        while (isDigit(input.charCodeAt(i))) i++;
      }
      if (input[i] === 'e' || input[i] === 'E') {
        const sign = input[i + 1] === '+' || input[i + 1] === '-' ? 1 : 0;
        if (isDigit(input.charCodeAt(i + 1 + sign))) {
          i += 1 + sign;
          while (isDigit(input.charCodeAt(i))) i++;
        }
      }
      tokens.push({ type: 'number', text: input.slice(start, i), position: start });
    } else if (isNameStart(code)) {
      const start = i;
      while (isNameStart(input.charCodeAt(i)) || isDigit(input.charCodeAt(i))) i++;
      tokens.push({ type: 'name', name: input.slice(start, i).toLowerCase(), position: start });
    } else if (char === '*' && input[i + 1] === '*') {
      tokens.push({ type: 'operator', operator: '^', position: i });
      i += 2;
    } else if (SINGLE[char] !== undefined) {
      tokens.push({ type: 'operator', operator: SINGLE[char], position: i });
      i++;
    } else if (char === '(' || char === ')' || char === ',' || char === '!') {
      const type = char === '(' ? 'open' : char === ')' ? 'close' : char === ',' ? 'comma' : 'factorial';
      tokens.push({ type, position: i });
      i++;
    } else if (char === '\u03c0') {
      tokens.push({ type: 'name', name: 'pi', position: i });
      i++;
    } else {
      throw new PackInputError(
        'syntax_error',
        `Unexpected character "${char}" at position ${i + 1}. Use numbers, + - * / % ^, parentheses, commas and function names like sqrt(2).`,
      );
    }
  }
  return tokens;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isNameStart(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95;
}
