/**
 * A small JSON scanner that reports problems the way DeepSeek's Rust server (serde_json behind
 * axum, with serde_path_to_error) words them: `messages[3].content: EOF while parsing a string at
 * line 1 column 80`. It only runs on error paths, so it favours clarity over speed.
 */

export interface JsonPosition {
  line: number;
  /** 1-based byte column, as serde counts it. */
  column: number;
}

export interface JsonSyntaxProblem extends JsonPosition {
  /** serde_path_to_error path, e.g. `messages[3].content`; empty at the top level. */
  path: string;
  /** serde's text, e.g. `expected value`. */
  message: string;
}

class ScanError extends Error {
  readonly detail: string;
  readonly offset: number;
  readonly path: string;

  constructor(detail: string, offset: number, path: string) {
    super(detail);
    this.detail = detail;
    this.offset = offset;
    this.path = path;
  }
}

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
const SIMPLE_ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

class Scanner {
  position = 0;
  readonly path: Array<string | number> = [];
  targetEnd: number | undefined;
  readonly text: string;
  readonly target: string | undefined;
  readonly validateSurrogates: boolean;

  constructor(text: string, target: string | undefined, validateSurrogates: boolean) {
    this.text = text;
    this.target = target;
    this.validateSurrogates = validateSurrogates;
  }

  run(): void {
    this.value();
    this.skipWhitespace();
    if (this.position < this.text.length) this.fail('trailing characters');
  }

  fail(detail: string, offset = this.position): never {
    throw new ScanError(detail, offset, formatPath(this.path));
  }

  skipWhitespace(): void {
    while (this.position < this.text.length && WHITESPACE.has(this.text.charCodeAt(this.position))) {
      this.position++;
    }
  }

  value(): void {
    this.skipWhitespace();
    if (this.position >= this.text.length) this.fail('EOF while parsing a value');
    const char = this.text[this.position]!;
    if (char === '{') this.object();
    else if (char === '[') this.array();
    else if (char === '"') this.string();
    else if (char === 't') this.literal('true');
    else if (char === 'f') this.literal('false');
    else if (char === 'n') this.literal('null');
    else if (char === '-' || (char >= '0' && char <= '9')) this.number();
    else this.fail('expected value');
    if (this.target !== undefined && this.targetEnd === undefined && formatPath(this.path) === this.target) {
      this.targetEnd = this.position - 1;
    }
  }

  /** Mirrors serde_json's `has_next_key`: punctuation errors belong to the object's path. */
  object(): void {
    this.position++;
    for (let first = true; ; first = false) {
      this.skipWhitespace();
      if (this.position >= this.text.length) this.fail('EOF while parsing an object');
      const char = this.text[this.position];
      if (char === '}') {
        this.position++;
        return;
      }
      if (!first) {
        if (char !== ',') this.fail('expected `,` or `}`');
        this.position++;
        this.skipWhitespace();
        if (this.position >= this.text.length) this.fail('EOF while parsing a value');
        if (this.text[this.position] === '}') this.fail('trailing comma');
      }
      if (this.text[this.position] !== '"') this.fail('key must be a string');
      const key = this.string();
      this.skipWhitespace();
      if (this.position >= this.text.length) this.fail('EOF while parsing an object');
      if (this.text[this.position] !== ':') this.fail('expected `:`');
      this.position++;
      this.path.push(key);
      this.value();
      this.path.pop();
    }
  }

  /** Mirrors serde_json's `has_next_element`. */
  array(): void {
    this.position++;
    for (let index = 0; ; index++) {
      this.skipWhitespace();
      if (this.position >= this.text.length) this.fail('EOF while parsing a list');
      const char = this.text[this.position];
      if (char === ']') {
        this.position++;
        return;
      }
      if (index > 0) {
        if (char !== ',') this.fail('expected `,` or `]`');
        this.position++;
        this.skipWhitespace();
        if (this.position >= this.text.length) this.fail('EOF while parsing a value');
        if (this.text[this.position] === ']') this.fail('trailing comma');
      }
      this.path.push(index);
      this.value();
      this.path.pop();
    }
  }

  string(): string {
    const start = ++this.position;
    let hasEscape = false;
    for (;;) {
      if (this.position >= this.text.length) this.fail('EOF while parsing a string');
      const code = this.text.charCodeAt(this.position);
      if (code === 0x22) break;
      if (code < 0x20) this.fail('control character (\\u0000-\\u001F) found while parsing a string');
      if (code === 0x5c) {
        hasEscape = true;
        this.escape();
      } else this.position++;
    }
    const raw = this.text.slice(start, this.position);
    this.position++;
    return hasEscape ? (JSON.parse(`"${raw}"`) as string) : raw;
  }

  escape(): void {
    this.position++;
    if (this.position >= this.text.length) this.fail('EOF while parsing a string');
    const char = this.text[this.position]!;
    this.position++;
    if (SIMPLE_ESCAPES.has(char)) return;
    if (char !== 'u') this.fail('invalid escape', this.position - 1);
    const first = this.hex4();
    if (!this.validateSurrogates) return;
    if (first >= 0xdc00 && first <= 0xdfff)
      this.fail('lone leading surrogate in hex escape', this.position - 1);
    if (first < 0xd800 || first > 0xdbff) return;
    if (this.text[this.position] !== '\\' || this.text[this.position + 1] !== 'u') {
      this.fail('unexpected end of hex escape', Math.min(this.position + 1, this.text.length));
    }
    this.position += 2;
    const second = this.hex4();
    if (second < 0xdc00 || second > 0xdfff)
      this.fail('lone leading surrogate in hex escape', this.position - 1);
  }

  hex4(): number {
    if (this.position + 4 > this.text.length) this.fail('EOF while parsing a string', this.text.length);
    const digits = this.text.slice(this.position, this.position + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(digits)) this.fail('invalid escape', this.position);
    this.position += 4;
    return Number.parseInt(digits, 16);
  }

  literal(word: string): void {
    for (let i = 0; i < word.length; i++) {
      if (this.position >= this.text.length) this.fail('EOF while parsing a value');
      if (this.text[this.position] !== word[i]) this.fail('expected ident');
      this.position++;
    }
  }

  number(): void {
    if (this.text[this.position] === '-') this.position++;
    if (!this.digit()) this.fail('invalid number');
    if (this.text[this.position] === '0' && this.isDigitAt(this.position + 1))
      this.fail('invalid number', this.position + 1);
    while (this.digit()) this.position++;
    if (this.text[this.position] === '.') {
      this.position++;
      if (!this.digit())
        this.fail(this.position >= this.text.length ? 'EOF while parsing a value' : 'invalid number');
      while (this.digit()) this.position++;
    }
    const exponent = this.text[this.position];
    if (exponent === 'e' || exponent === 'E') {
      this.position++;
      const sign = this.text[this.position];
      if (sign === '+' || sign === '-') this.position++;
      if (!this.digit())
        this.fail(this.position >= this.text.length ? 'EOF while parsing a value' : 'invalid number');
      while (this.digit()) this.position++;
    }
  }

  digit(): boolean {
    return this.isDigitAt(this.position);
  }

  isDigitAt(offset: number): boolean {
    const code = this.text.charCodeAt(offset);
    return code >= 0x30 && code <= 0x39;
  }
}

/** `messages[1].role` from `['messages', 1, 'role']`. */
export function formatPath(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

/** serde's line/column for the character at `offset` (or the end of input). */
function positionAt(text: string, offset: number): JsonPosition {
  const end = Math.min(offset + 1, text.length);
  let line = 1;
  let lineStart = 0;
  for (
    let index = text.indexOf('\n');
    index !== -1 && index < end - 1;
    index = text.indexOf('\n', index + 1)
  ) {
    line++;
    lineStart = index + 1;
  }
  return { line, column: Buffer.byteLength(text.slice(lineStart, end)) };
}

/**
 * The first syntax problem in `text`, worded like serde_json, or undefined when the text is valid
 * JSON. Lone UTF-16 surrogates in `\u` escapes count as errors, as they do for serde.
 */
export function findJsonSyntaxProblem(text: string): JsonSyntaxProblem | undefined {
  try {
    new Scanner(text, undefined, true).run();
    return undefined;
  } catch (error) {
    if (!(error instanceof ScanError)) throw error;
    return { message: error.detail, path: error.path, ...positionAt(text, error.offset) };
  }
}

/** Where the JSON value at `path` (e.g. `messages[2]`, `''` for the root) ends, serde-style. */
export function locateValueEnd(text: string, path: string): JsonPosition {
  const scanner = new Scanner(text, path, false);
  try {
    scanner.run();
  } catch {
    // The text parsed with JSON.parse before we got here; ignore scanner disagreements.
  }
  return positionAt(text, scanner.targetEnd ?? text.length - 1);
}

/** Cheap pre-check: does the raw body contain a `\uD800`-`\uDFFF` escape worth validating? */
export function hasSurrogateEscape(text: string): boolean {
  return /\\u[dD][89a-fA-F]/.test(text);
}
