import { PackInputError } from '../errors.js';
import { type Operator, type Token, tokenize } from './tokenize.js';

/** The parsed form of an expression. */
export type Node =
  | { kind: 'number'; text: string }
  | { kind: 'name'; name: string; position: number }
  | { kind: 'negate'; operand: Node }
  | { kind: 'factorial'; operand: Node }
  | { kind: 'binary'; operator: Operator; left: Node; right: Node }
  | { kind: 'call'; name: string; args: Node[]; position: number };

/** Limits that keep hostile input cheap to reject. */
export interface ParseLimits {
  /** Longest accepted expression, in characters. Default 1000. */
  maxLength?: number | undefined;
  /** Deepest nesting of parentheses, calls and unary signs. Default 64. */
  maxDepth?: number | undefined;
}

/**
 * Parses an expression by recursive descent. Precedence, lowest first: `+ -`, then `* / %`,
 * then unary `-`, then `^` (right-associative, so `-2^2` is -4 and `2^3^2` is 512), then `!`.
 */
export function parse(input: string, limits: ParseLimits = {}): Node {
  const maxLength = limits.maxLength ?? 1000;
  if (input.length > maxLength) {
    throw new PackInputError(
      'too_long',
      `The expression is ${input.length} characters long; the limit is ${maxLength}. Split the calculation into smaller steps.`,
    );
  }
  if (input.trim() === '') throw new PackInputError('syntax_error', 'The expression is empty.');
  return new Parser(tokenize(input), limits.maxDepth ?? 64).parseAll();
}

class Parser {
  #tokens: Token[];
  #index = 0;
  #depth = 0;
  #maxDepth: number;

  constructor(tokens: Token[], maxDepth: number) {
    this.#tokens = tokens;
    this.#maxDepth = maxDepth;
  }

  parseAll(): Node {
    const node = this.#sum();
    const extra = this.#tokens[this.#index];
    if (extra !== undefined) {
      throw syntax(
        extra.type === 'close'
          ? `Unmatched ")" at position ${extra.position + 1}.`
          : `Expected an operator at position ${extra.position + 1} (write 2*pi, not 2pi).`,
      );
    }
    return node;
  }

  #sum(): Node {
    let left = this.#product();
    for (;;) {
      const operator = this.#operator('+', '-');
      if (!operator) return left;
      left = { kind: 'binary', operator, left, right: this.#product() };
    }
  }

  #product(): Node {
    let left = this.#unary();
    for (;;) {
      const operator = this.#operator('*', '/', '%');
      if (!operator) return left;
      left = { kind: 'binary', operator, left, right: this.#unary() };
    }
  }

  #unary(): Node {
    const sign = this.#operator('+', '-');
    if (!sign) return this.#power();
    const operand = this.#nested(() => this.#unary());
    return sign === '-' ? { kind: 'negate', operand } : operand;
  }

  #power(): Node {
    const base = this.#postfix();
    if (!this.#operator('^')) return base;
    return { kind: 'binary', operator: '^', left: base, right: this.#nested(() => this.#unary()) };
  }

  #postfix(): Node {
    let node = this.#primary();
    while (this.#tokens[this.#index]?.type === 'factorial') {
      this.#index++;
      node = { kind: 'factorial', operand: node };
    }
    return node;
  }

  #primary(): Node {
    const token = this.#tokens[this.#index++];
    if (token === undefined) throw syntax('The expression ends too early: a number or "(" is missing.');
    switch (token.type) {
      case 'number':
        return { kind: 'number', text: token.text };
      case 'open': {
        const inner = this.#nested(() => this.#sum());
        this.#expect('close', `Missing ")" for the "(" at position ${token.position + 1}.`);
        return inner;
      }
      case 'name': {
        if (this.#tokens[this.#index]?.type !== 'open') {
          return { kind: 'name', name: token.name, position: token.position };
        }
        this.#index++;
        const args: Node[] = [];
        if (this.#tokens[this.#index]?.type === 'close') {
          this.#index++;
        } else {
          do args.push(this.#nested(() => this.#sum()));
          while (this.#accept('comma'));
          this.#expect('close', `Missing ")" after the arguments of ${token.name}(.`);
        }
        return { kind: 'call', name: token.name, args, position: token.position };
      }
      default:
        throw syntax(`Unexpected "${describe(token)}" at position ${token.position + 1}.`);
    }
  }

  #nested(parse: () => Node): Node {
    if (++this.#depth > this.#maxDepth) {
      throw new PackInputError(
        'too_deep',
        `The expression is nested more than ${this.#maxDepth} levels deep. Simplify it or split it into steps.`,
      );
    }
    try {
      return parse();
    } finally {
      this.#depth--;
    }
  }

  #operator<T extends Operator>(...operators: T[]): T | undefined {
    const token = this.#tokens[this.#index];
    if (token?.type === 'operator' && (operators as Operator[]).includes(token.operator)) {
      this.#index++;
      return token.operator as T;
    }
    return undefined;
  }

  #accept(type: Token['type']): boolean {
    if (this.#tokens[this.#index]?.type !== type) return false;
    this.#index++;
    return true;
  }

  #expect(type: Token['type'], message: string): void {
    if (!this.#accept(type)) throw syntax(message);
  }
}

function syntax(message: string): PackInputError {
  return new PackInputError('syntax_error', message);
}

function describe(token: Token): string {
  switch (token.type) {
    case 'operator':
      return token.operator;
    case 'close':
      return ')';
    case 'comma':
      return ',';
    case 'factorial':
      return '!';
    default:
      return token.type;
  }
}
