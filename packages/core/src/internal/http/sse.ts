/**
 * A small, fast Server-Sent Events parser: bytes in, events out (WHATWG "event stream
 * interpretation"). Handles any split of the input, CRLF / CR / LF line ends, UTF-8 sequences split
 * across chunks, comments (`: keep-alive`), multi-line `data`, `event` and `id` fields.
 * It knows nothing about DeepSeek: `[DONE]` and error payloads are handled by the stream on top.
 */

/** One dispatched event. */
export interface ServerSentEvent {
  /** The `event:` field, or undefined for the default `message` type. */
  event: string | undefined;
  /** The `data:` lines joined with `\n`. */
  data: string;
  /** The last `id:` seen (it persists across events, as the spec says). */
  id: string | undefined;
}

/** Options of `new SSEParser()`. */
export interface SSEParserOptions {
  /**
   * Longest line, and longest event (its `data` lines joined), in characters; longer input
   * throws `SSELineTooLongError` instead of buffering without end. @default Infinity
   */
  maxLineLength?: number | undefined;
}

/** A line or event longer than the parser's `maxLineLength`. */
export class SSELineTooLongError extends Error {
  override readonly name = 'SSELineTooLongError';
  readonly limit: number;

  constructor(limit: number) {
    super(`An event-stream line or event is longer than ${limit} characters.`);
    this.limit = limit;
  }
}

const LF = 10;
const COLON = 58;
const SPACE = 32;

/**
 * One decoder for every parser, used without `stream: true` (Node's fast UTF-8 path; a streaming
 * TextDecoder makes an ICU converter per parser and decodes slower). A sequence cut at the end of
 * a chunk is carried over to the next one by the parser itself. `ignoreBOM`: the parser strips the
 * stream's leading BOM itself, so a U+FEFF at the start of a later chunk is kept.
 */
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** Length of `bytes` without a UTF-8 sequence cut at its end (that one waits for the next chunk). */
function completeLength(bytes: Uint8Array): number {
  const length = bytes.length;
  // The start of the last sequence: at most 3 continuation bytes (10xxxxxx) back.
  let start = length - 1;
  while (start >= 0 && start > length - 4 && (bytes[start]! & 0xc0) === 0x80) start--;
  if (start < 0) return length;
  const lead = bytes[start]!;
  const needed =
    lead >= 0xf0 && lead <= 0xf7 ? 4 : lead >= 0xe0 ? (lead <= 0xef ? 3 : 0) : lead >= 0xc0 ? 2 : 0;
  return needed > length - start ? start : length;
}

/**
 * Incremental parser. Feed it chunks with `push` (bytes) or `pushText` (already decoded text), and
 * call `end` once the body is over.
 *
 * @example
 * const parser = new SSEParser();
 * for await (const bytes of body) for (const event of parser.push(bytes)) handle(event);
 * for (const event of parser.end()) handle(event);
 */
export class SSEParser {
  readonly #max: number;
  /** The bytes of a UTF-8 sequence cut at the end of the last chunk. */
  #carry: Uint8Array | undefined;
  /** Whether the stream's first text was seen (its BOM, if any, stripped). */
  #started = false;
  #pending = '';
  #skipLeadingLF = false;
  #data: string | undefined = undefined;
  #event: string | undefined = undefined;
  #id: string | undefined = undefined;
  #comments = 0;
  #lines = 0;
  /** Set once a line went over the cap: the events before it were returned, the next call throws. */
  #failure: SSELineTooLongError | undefined;

  constructor(options: SSEParserOptions = {}) {
    this.#max = options.maxLineLength ?? Number.POSITIVE_INFINITY;
  }

  /** Comment lines seen so far (DeepSeek sends `: keep-alive` while a request is queued). */
  get comments(): number {
    return this.#comments;
  }

  /** Lines seen so far, blank lines included. */
  get lines(): number {
    return this.#lines;
  }

  /** The over-long line error, once one happened (events before it were still returned). */
  get failure(): SSELineTooLongError | undefined {
    return this.#failure;
  }

  /** Parses a chunk of bytes; returns the events it completed (often none or one). */
  push(bytes: Uint8Array): ServerSentEvent[] {
    if (this.#failure) throw this.#failure;
    const out: ServerSentEvent[] = [];
    const text = this.#decode(bytes);
    if (text.length > 0) this.#guarded(text, out);
    return out;
  }

  /** What a streaming TextDecoder gives for `bytes` (a cut sequence waits for the next chunk). */
  #decode(bytes: Uint8Array): string {
    let input = bytes;
    const carry = this.#carry;
    if (carry !== undefined) {
      this.#carry = undefined;
      input = new Uint8Array(carry.length + bytes.length);
      input.set(carry);
      input.set(bytes, carry.length);
    }
    const end = completeLength(input);
    if (end < input.length) {
      this.#carry = input.slice(end);
      input = input.subarray(0, end);
    }
    return end === 0 ? '' : this.#text(utf8.decode(input));
  }

  /** Strips the stream's leading byte order mark (as TextDecoder does by default). */
  #text(text: string): string {
    if (this.#started || text.length === 0) return text;
    this.#started = true;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }

  /** Parses a chunk of text. Do not mix with `push` on the same parser mid-character. */
  pushText(text: string): ServerSentEvent[] {
    if (this.#failure) throw this.#failure;
    const out: ServerSentEvent[] = [];
    if (text.length > 0) this.#guarded(text, out);
    return out;
  }

  /** Feeds `text`; an over-long line keeps the events completed before it and throws on the next call. */
  #guarded(text: string, out: ServerSentEvent[]): void {
    try {
      this.#feed(text, out);
    } catch (error) {
      if (!(error instanceof SSELineTooLongError)) throw error;
      this.#failure = error;
      this.#pending = '';
      this.#data = undefined;
      if (out.length === 0) throw error;
    }
  }

  /**
   * Ends the input. A last line without a line end is still read, and an event whose blank line
   * never came is still dispatched (servers often omit the final blank line); callers that care
   * about cut streams check the payload.
   */
  end(): ServerSentEvent[] {
    if (this.#failure) throw this.#failure;
    const out: ServerSentEvent[] = [];
    const carry = this.#carry;
    this.#carry = undefined;
    // A sequence still cut at the end: U+FFFD, as a streaming decoder's flush gives.
    const rest = carry === undefined ? '' : this.#text(utf8.decode(carry));
    if (rest.length > 0) this.#feed(rest, out);
    if (this.#pending.length > 0) {
      const line = this.#pending;
      this.#pending = '';
      this.#line(line, out);
    }
    this.#dispatch(out);
    return out;
  }

  #feed(text: string, out: ServerSentEvent[]): void {
    const length = text.length;
    let start = 0;
    if (this.#skipLeadingLF) {
      this.#skipLeadingLF = false;
      if (text.charCodeAt(0) === LF) start = 1;
    }
    // Positions of the next LF / CR at or after `start`; -1 once there is none left in `text`.
    // Each is searched again only after `start` passed it, so every character is scanned once.
    let lf = -2;
    let cr = -2;
    while (start < length) {
      if (lf !== -1 && lf < start) lf = text.indexOf('\n', start);
      if (cr !== -1 && cr < start) cr = text.indexOf('\r', start);
      let end: number;
      let next: number;
      if (lf === -1 && cr === -1) break;
      if (cr === -1 || (lf !== -1 && lf < cr)) {
        end = lf;
        next = lf + 1;
      } else {
        end = cr;
        if (cr + 1 < length) {
          next = text.charCodeAt(cr + 1) === LF ? cr + 2 : cr + 1;
        } else {
          next = cr + 1;
          this.#skipLeadingLF = true;
        }
      }
      if (this.#pending.length > 0) {
        const line = this.#pending + text.slice(start, end);
        this.#pending = '';
        this.#line(line, out);
      } else {
        this.#line(text.slice(start, end), out);
      }
      start = next;
    }
    if (start < length) {
      this.#pending += start === 0 ? text : text.slice(start);
      if (this.#pending.length > this.#max) throw new SSELineTooLongError(this.#max);
    }
  }

  #line(line: string, out: ServerSentEvent[]): void {
    this.#lines++;
    const length = line.length;
    if (length > this.#max) throw new SSELineTooLongError(this.#max);
    if (length === 0) {
      this.#dispatch(out);
      return;
    }
    const first = line.charCodeAt(0);
    if (first === COLON) {
      this.#comments++;
      return;
    }
    let field: string;
    let value: string;
    // Fast path: DeepSeek sends nothing but `data: ...` lines.
    if (first === 100 && length >= 5 && line.charCodeAt(4) === COLON && line.startsWith('data')) {
      field = 'data';
      value = line.slice(length > 5 && line.charCodeAt(5) === SPACE ? 6 : 5);
    } else {
      const colon = line.indexOf(':');
      if (colon === -1) {
        field = line;
        value = '';
      } else {
        field = line.slice(0, colon);
        value = line.slice(
          colon + 1 < length && line.charCodeAt(colon + 1) === SPACE ? colon + 2 : colon + 1,
        );
      }
    }
    switch (field) {
      case 'data':
        this.#data = this.#data === undefined ? value : `${this.#data}\n${value}`;
        if (this.#data.length > this.#max) throw new SSELineTooLongError(this.#max);
        break;
      case 'event':
        this.#event = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.#id = value;
        break;
      default:
        // `retry` and unknown fields are ignored, as the spec says.
        break;
    }
  }

  #dispatch(out: ServerSentEvent[]): void {
    const data = this.#data;
    if (data === undefined) {
      this.#event = undefined;
      return;
    }
    out.push({ event: this.#event, data, id: this.#id });
    this.#data = undefined;
    this.#event = undefined;
  }
}
