/**
 * Reads JSON with the slips models make, in one pass: time and memory are linear in the length
 * of the text, whatever it holds. (jsonrepair, used before, is cubic on some inputs: 3 KB of
 * `{"a":"b "x "x ...` took seconds, so a model could freeze the process with one tool call.)
 *
 * Repaired: single-quoted strings, unquoted keys, trailing and doubled commas, missing commas
 * between items, Python and JavaScript literals (`True`, `False`, `None`, `undefined`), `//` and
 * `/* *\/` comments, a Markdown code fence around the JSON, raw line breaks and tabs inside
 * strings, and escapes JSON does not have (`\'`). Anything else (two values in a row, a bare
 * word, an unclosed bracket) is a `SyntaxError` naming the position: nothing is guessed.
 *
 * Truncated text (an unclosed string or bracket) must be caught before this is called: closing
 * it would turn a cut-off call into a valid-looking one with fields missing.
 */
export function repairJson(text: string): unknown {
  return new Reader(stripFence(text)).document();
}

/** Deepest nesting of objects and arrays read (deeper input is refused, not a stack overflow). */
export const MAX_REPAIR_DEPTH = 500;

const WORDS: ReadonlyMap<string, unknown> = new Map<string, unknown>([
  ['true', true],
  ['false', false],
  ['null', null],
  ['True', true],
  ['False', false],
  ['None', null],
  ['undefined', null],
]);

const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  "'": "'",
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** Removes a Markdown code fence (```json ... ```) around the whole text. */
function stripFence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed.startsWith('```')) return trimmed;
  const firstLine = trimmed.indexOf('\n');
  if (firstLine === -1) return trimmed;
  const body = trimmed.slice(firstLine + 1);
  return body.endsWith('```') ? body.slice(0, -3) : body;
}

class Reader {
  readonly #text: string;
  #at = 0;
  #depth = 0;

  constructor(text: string) {
    this.#text = text;
  }

  document(): unknown {
    const value = this.#value();
    this.#space();
    if (this.#at < this.#text.length) throw this.#error('unexpected text after the JSON value');
    return value;
  }

  #value(): unknown {
    this.#space();
    const char = this.#text[this.#at];
    if (char === '{') return this.#nested(() => this.#object());
    if (char === '[') return this.#nested(() => this.#array());
    if (char === '"' || char === "'") return this.#string();
    if (char !== undefined && /[-+0-9.]/.test(char)) return this.#number();
    const word = this.#word();
    if (word !== '' && WORDS.has(word)) return WORDS.get(word);
    this.#at -= word.length;
    throw this.#error(word === '' ? 'expected a value' : `unexpected word "${word.slice(0, 20)}"`);
  }

  #nested<T>(read: () => T): T {
    if (++this.#depth > MAX_REPAIR_DEPTH) throw this.#error(`nested more than ${MAX_REPAIR_DEPTH} levels`);
    const value = read();
    this.#depth--;
    return value;
  }

  #object(): Record<string, unknown> {
    const object: Record<string, unknown> = {};
    this.#at++; // {
    for (let first = true; ; first = false) {
      const separated = this.#separators();
      if (this.#text[this.#at] === '}') {
        this.#at++;
        return object;
      }
      if (!first && !separated && !this.#startsKey()) throw this.#error('expected "," or "}"');
      const key = this.#key();
      this.#space();
      if (this.#text[this.#at] !== ':') throw this.#error(`expected ":" after the key "${key.slice(0, 20)}"`);
      this.#at++;
      // defineProperty, not assignment: a "__proto__" key stays an own property, as with JSON.parse.
      Object.defineProperty(object, key, {
        value: this.#value(),
        writable: true,
        enumerable: true,
        configurable: true,
      });
    }
  }

  #array(): unknown[] {
    const array: unknown[] = [];
    this.#at++; // [
    for (let first = true; ; first = false) {
      const separated = this.#separators();
      if (this.#text[this.#at] === ']') {
        this.#at++;
        return array;
      }
      if (!first && !separated && this.#at >= this.#text.length) throw this.#error('expected "]"');
      array.push(this.#value());
    }
  }

  /** Skips blanks and commas (doubled and trailing commas are slips); true when there was a comma. */
  #separators(): boolean {
    let comma = false;
    for (;;) {
      this.#space();
      if (this.#text[this.#at] !== ',') return comma;
      comma = true;
      this.#at++;
    }
  }

  #startsKey(): boolean {
    const char = this.#text[this.#at];
    return char === '"' || char === "'" || (char !== undefined && isWordChar(char.charCodeAt(0)));
  }

  #key(): string {
    const char = this.#text[this.#at];
    if (char === '"' || char === "'") return this.#string();
    const word = this.#word();
    if (word === '') throw this.#error('expected a key');
    return word;
  }

  #string(): string {
    const text = this.#text;
    const quote = text[this.#at]!;
    const parts: string[] = [];
    let start = ++this.#at;
    while (this.#at < text.length) {
      const char = text[this.#at]!;
      if (char === quote) {
        parts.push(text.slice(start, this.#at++));
        return parts.join('');
      }
      if (char !== '\\') {
        this.#at++;
        continue;
      }
      parts.push(text.slice(start, this.#at));
      const escaped = text[this.#at + 1];
      if (escaped === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(this.#at + 2, this.#at + 6))) {
        parts.push(String.fromCharCode(Number.parseInt(text.slice(this.#at + 2, this.#at + 6), 16)));
        this.#at += 6;
      } else if (escaped !== undefined) {
        // An escape JSON lacks (\x, \') stands for the character itself.
        parts.push(ESCAPES[escaped] ?? escaped);
        this.#at += 2;
      } else {
        this.#at++;
      }
      start = this.#at;
    }
    throw this.#error('unterminated string');
  }

  #number(): number {
    const start = this.#at;
    while (this.#at < this.#text.length && /[-+0-9.eE]/.test(this.#text[this.#at]!)) this.#at++;
    const text = this.#text.slice(start, this.#at);
    const value = Number(text.startsWith('+') ? text.slice(1) : text);
    if (text === '' || text.startsWith('+-') || text.startsWith('++') || !Number.isFinite(value)) {
      this.#at = start;
      throw this.#error(`"${text.slice(0, 20)}" is not a number`);
    }
    return value;
  }

  /** An identifier-like run (`True`, `city`, `max_tokens`, `a-b`). */
  #word(): string {
    const start = this.#at;
    while (this.#at < this.#text.length && isWordChar(this.#text.charCodeAt(this.#at))) this.#at++;
    return this.#text.slice(start, this.#at);
  }

  /** Skips whitespace and comments. */
  #space(): void {
    const text = this.#text;
    while (this.#at < text.length) {
      const code = text.charCodeAt(this.#at);
      if (code === 32 || code === 9 || code === 10 || code === 13 || code === 0xfeff || code === 0xa0) {
        this.#at++;
      } else if (code === 47 /* / */ && text[this.#at + 1] === '/') {
        const end = text.indexOf('\n', this.#at + 2);
        this.#at = end === -1 ? text.length : end + 1;
      } else if (code === 47 && text[this.#at + 1] === '*') {
        const end = text.indexOf('*/', this.#at + 2);
        this.#at = end === -1 ? text.length : end + 2;
      } else {
        return;
      }
    }
  }

  #error(message: string): SyntaxError {
    return new SyntaxError(`${message} at position ${this.#at}`);
  }
}

function isWordChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    (code >= 48 && code <= 57) ||
    code === 95 ||
    code === 36 ||
    code === 45
  );
}
