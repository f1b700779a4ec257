/**
 * One HTTP attempt, whatever carries it (a `Transport`: fetch, or node:http on Node): a per-attempt
 * timeout and the caller's signal, error statuses turned into APIErrors, keep-alive padding
 * measured as queue time, size caps, and (for streams) an idle timeout that only runs while the
 * reader waits for bytes after the answer started.
 */

import {
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  ConfigError,
  type DeepSeekError,
  isDeepSeekError,
  ResponseParseError,
  ResponseTooLargeError,
} from '../../errors/errors.js';
import { type AbortSource, subscribe } from '../abort-latch.js';
import { redact, redactError, redactStart } from '../redact.js';
import { makeAPIError, parsedFromErrorObject } from './error-response.js';
import { type ByteReader, EventReader, type ReaderOwner } from './event-reader.js';
import { type ServerSentEvent, SSELineTooLongError, SSEParser } from './sse.js';
import type { TimingMarks } from './timing.js';

/** A prepared HTTP request; the body is serialized once and reused by every attempt. */
export interface HttpRequest {
  method: string;
  url: string;
  /** For messages and logs, e.g. `/beta/chat/completions`. */
  path: string;
  headers: Record<string, string>;
  /** JSON text, or a multipart form (file uploads; fetch re-encodes it for each attempt). */
  body: string | FormData | undefined;
}

/** Settings shared by the attempts of one call. */
export interface AttemptSettings {
  /** What carries the exchange: fetch (fetch-transport.ts) or node:http (node-transport.ts). */
  transport: Transport;
  fetch: typeof fetch;
  /** The API key and other configured secrets, only to scrub them from error text. */
  secrets: readonly string[];
  timeoutMs: number;
  idleTimeoutMs: number;
  /** Largest body read whole (a non-streamed answer, an error body), in bytes. */
  maxResponseBytes: number;
  /** Longest SSE line or event of a stream, in characters. */
  maxLineLength: number;
  /** The caller's signal (non-streamed calls), or a stream's own latch (abort-latch.ts). */
  signal: AbortSource | undefined;
  marks: TimingMarks;
  /**
   * Milliseconds of `timeoutMs` already used before this attempt could send (the wait for a
   * `maxConcurrency` slot); the attempt's timer gets what is left.
   */
  usedMs?: number | undefined;
  /**
   * Send a text body as a one-chunk stream, which fetch drops once it is written (Node's undici
   * keeps a string or bytes body for as long as the response is read). For streamed answers on
   * Node's own fetch: see body-release.test.ts.
   */
  releaseBody?: boolean | undefined;
  /** Extra `fetch` init (e.g. an undici `dispatcher` for a proxy); method, headers, body, signal and redirect stay the client's. */
  fetchOptions?: FetchOptions | undefined;
}

/** `RequestInit` plus what a runtime's fetch accepts beyond it (undici's `dispatcher`, Bun's `proxy`). */
export type FetchOptions = RequestInit & { dispatcher?: unknown; proxy?: unknown };

/** The status line and headers of an answer, and its body, as a transport hands them over. */
export interface ResponseHead {
  readonly status: number;
  /** One header (name in lower case), or null. */
  header(name: string): string | null;
  /** All headers (a transport may build them on first use). */
  readonly headers: Headers;
  /** The answer as a `Response` (its body already taken), for `withResponse()`; may be built on first use. */
  readonly response: Response;
  /** The body's reader; the same one on every call. Undefined for an answer without a body. */
  reader(): ByteReader | undefined;
}

/** One exchange on the wire, as a transport started it. */
export interface Exchange {
  /** Resolves once the status line and headers arrived; rejects with the transport's error. */
  readonly head: Promise<ResponseHead>;
  /**
   * Ends the exchange at once, in any state: the request is stopped, a pending read ends, the
   * connection is closed (not reused), and an answer that still arrives is dropped.
   */
  abort(): void;
}

/** Starts an exchange. Redirects must not be followed: a 3xx comes back as a head (or an error naming the redirect). */
export type Transport = (request: HttpRequest, settings: AttemptSettings) => Exchange;

type AbortKind = 'user' | 'timeout' | 'idle' | 'closed';

/** Thrown into a pending read or send when the attempt was aborted; `fail` maps it by kind. */
const ABORTED = new Error('aborted by plumb');

const SENDING = 'sending the request';
const QUEUED = 'waiting in DeepSeek’s queue (keep-alive)';

function isWhitespace(byte: number): boolean {
  return byte === 10 || byte === 13 || byte === 32 || byte === 9;
}

/**
 * An HTTP exchange in flight. Create it with `Attempt.start`; always end it with `close` or by reading to the end.
 *
 * Every deadline (timeout, idle timeout, the caller's signal, `close`) is enforced here, without
 * relying on the transport honouring a signal: Node 20's undici holds the link from a fetch's
 * signal to the connection only weakly once the response headers arrived (with `redirect: 'error'`
 * nothing else keeps the request's internal AbortController alive), so after a garbage collection
 * aborting the signal no longer reaches the body. An abort therefore rejects a pending send by
 * itself and calls the exchange's `abort()` (which cancels the body reader or destroys the
 * request: strong paths). The timer and signal listener that fire it hold this object strongly.
 * One timer at a time: the attempt timeout until the first event of a stream, then the event
 * reader's idle watchdog.
 */
export class Attempt implements ReaderOwner {
  readonly request: HttpRequest;
  readonly settings: AttemptSettings;
  #exchange: Exchange | undefined;
  #abortKind: AbortKind | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Unsubscribes the attempt from `settings.signal`. */
  #unsubscribe: (() => void) | undefined;
  #head: ResponseHead | undefined;
  #reader: ByteReader | undefined;
  /** Rejects the pending send when the attempt is aborted before the headers arrived. */
  #rejectSend: ((error: unknown) => void) | undefined;
  /** The body of a non-streamed answer as received, once `readJson` read it. */
  bodyText: string | undefined;

  private constructor(request: HttpRequest, settings: AttemptSettings) {
    this.request = request;
    this.settings = settings;
  }

  /** Sends the request and waits for a successful status; error statuses throw their APIError. */
  static async start(request: HttpRequest, settings: AttemptSettings): Promise<Attempt> {
    const attempt = new Attempt(request, settings);
    await attempt.#send();
    return attempt;
  }

  /** The answer as a `Response` (built on first use by the node transport). */
  get response(): Response {
    return this.#head!.response;
  }

  get status(): number {
    return this.#head!.status;
  }

  get headers(): Headers | undefined {
    return this.#head?.headers;
  }

  get requestId(): string | undefined {
    const head = this.#head;
    if (head === undefined) return undefined;
    return head.header('x-ds-trace-id') ?? head.header('x-request-id') ?? undefined;
  }

  async #send(): Promise<void> {
    const { signal, marks, timeoutMs } = this.settings;
    if (signal?.aborted) throw new APIUserAbortError(undefined, signal.reason);
    if (signal) this.#unsubscribe = subscribe(signal, () => this.#abort('user'));
    marks.attempts++;
    marks.attemptStart = performance.now();
    marks.headersAt = 0;
    marks.firstChunkAt = 0;
    marks.padded = false;
    const left = Math.max(0, timeoutMs - (this.settings.usedMs ?? 0));
    this.#timer = setTimeout(() => this.#abort('timeout'), left);
    let head: ResponseHead;
    try {
      const exchange = this.settings.transport(this.request, this.settings);
      this.#exchange = exchange;
      // The abort rejects this wait by itself (see the class comment); `#rejectSend` is held
      // by this attempt, which the timer and the signal listener hold.
      head = await new Promise<ResponseHead>((resolve, reject) => {
        this.#rejectSend = reject;
        exchange.head.then(resolve, reject);
      });
      this.#rejectSend = undefined;
    } catch (error) {
      this.#rejectSend = undefined;
      throw this.fail(error, SENDING);
    }
    marks.headersAt = performance.now();
    this.#head = head;
    const status = head.status;
    if (status >= 300 && status < 400) {
      // Only reached where the transport cannot refuse redirects itself (node:http, Cloudflare Workers).
      throw this.fail(new TypeError(`unexpected redirect (status ${status})`), SENDING);
    }
    if (status >= 400) {
      let text = '';
      try {
        const [parts, size] = await this.#readAll('reading the error body');
        text = decodeParts(parts, size);
      } catch (error) {
        throw this.fail(error, 'reading the error body');
      }
      this.#cleanup();
      throw makeAPIError(status, text, head.headers, {
        method: this.request.method,
        path: this.request.path,
        secrets: this.settings.secrets,
      });
    }
  }

  #abort(kind: AbortKind): void {
    if (this.#abortKind !== undefined) return;
    this.#abortKind = kind;
    // Do not count on the transport to honour a signal (see the class comment): end the waits here.
    const rejectSend = this.#rejectSend;
    this.#rejectSend = undefined;
    rejectSend?.(ABORTED);
    this.#exchange?.abort();
  }

  /** After a read that ended or failed: an abort that caused it wins over what the read reported. */
  throwIfAborted(phase: string): void {
    if (this.#abortKind !== undefined) throw this.fail(ABORTED, phase);
  }

  /** Reads the whole body under `maxResponseBytes`; returns its parts and size. */
  async #readAll(phase: string): Promise<[Uint8Array[], number]> {
    const reader = this.#getReader();
    const parts: Uint8Array[] = [];
    let size = 0;
    while (reader) {
      const { done, value } = await reader.read();
      this.throwIfAborted(phase);
      if (done) break;
      size += value.length;
      if (size > this.settings.maxResponseBytes) throw this.#tooLarge();
      parts.push(value);
    }
    return [parts, size];
  }

  #tooLarge(): ResponseTooLargeError {
    const limit = this.settings.maxResponseBytes;
    const { method, path } = this.request;
    this.close();
    return new ResponseTooLargeError(
      'maxResponseBytes',
      limit,
      `The answer to ${method} ${path} is larger than ${limit} bytes (the \`maxResponseBytes\` option), so it was not read to the end. ` +
        'Raise `maxResponseBytes` if such answers are expected (long answers with top_logprobs), or stream the request.',
    );
  }

  #cleanup(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const unsubscribe = this.#unsubscribe;
    this.#unsubscribe = undefined;
    unsubscribe?.();
  }

  /** Maps whatever fetch or the body reader threw to a DeepSeekError, and releases the attempt. */
  fail(error: unknown, phase: string): DeepSeekError {
    const kind = this.#abortKind;
    this.#abort('closed');
    this.#cleanup();
    if (isDeepSeekError(error)) return error;
    const { method, path } = this.request;
    if (kind === 'user') return new APIUserAbortError(undefined, this.settings.signal?.reason);
    if (kind === 'timeout') {
      const ms = this.settings.timeoutMs;
      return new APITimeoutError(
        'attempt',
        ms,
        `${method} ${path} timed out after ${ms} ms while ${phase} (per-attempt timeout; queueing at DeepSeek counts). ` +
          'Raise the `timeout` option if DeepSeek is busy; timeouts are retried (see maxRetries).',
      );
    }
    if (kind === 'idle') {
      const ms = this.settings.idleTimeoutMs;
      return new APITimeoutError(
        'idle',
        ms,
        `The stream of ${method} ${path} stalled: no data for ${ms} ms. Raise the \`idleTimeout\` option if long pauses are expected.`,
      );
    }
    const reason = redact(
      error instanceof Error ? describeCause(error) : String(error),
      this.settings.secrets,
    );
    if (phase === SENDING && /redirect/i.test(reason)) {
      return new ConfigError(
        'baseURL',
        `${method} ${path} was answered with a redirect, which this client does not follow (DeepSeek does not redirect, and a ` +
          'redirected POST loses its body). Set `baseURL` / `betaBaseURL` to the address the requests should go to, e.g. https://api.deepseek.com.',
      );
    }
    return new APIConnectionError(
      `Connection error while ${phase} (${method} ${path}): ${reason}. Check your network and baseURL; connection errors are retried (see maxRetries).`,
      { cause: redactError(error, this.settings.secrets) },
    );
  }

  /** Stops the exchange (consumer done early): aborts it and releases timers and listeners. */
  close(): void {
    this.#abort('closed');
    this.#cleanup();
    this.#exchange?.abort();
  }

  #getReader(): ByteReader | undefined {
    this.#reader ??= this.#head?.reader();
    return this.#reader;
  }

  /**
   * Reads a non-streamed body: leading blank lines (DeepSeek's keep-alive while queued) are
   * skipped and timed as queue time; the rest is parsed as JSON. The attempt timeout covers it all.
   */
  async readJson(): Promise<unknown> {
    const marks = this.settings.marks;
    const reader = this.#getReader();
    const limit = this.settings.maxResponseBytes;
    const parts: Uint8Array[] = [];
    let size = 0;
    let started = false;
    try {
      while (reader) {
        const { done, value } = await reader.read();
        this.throwIfAborted(started ? 'reading the answer' : QUEUED);
        if (done) break;
        if (!started) {
          let i = 0;
          while (i < value.length && isWhitespace(value[i]!)) i++;
          if (i > 0) marks.padded = true;
          if (i === value.length) continue;
          started = true;
          marks.firstChunkAt = performance.now();
        }
        size += value.length;
        if (size > limit) throw this.#tooLarge();
        parts.push(value);
      }
    } catch (error) {
      throw this.fail(error, started ? 'reading the answer' : QUEUED);
    }
    this.#cleanup();
    marks.endAt = performance.now();
    if (!started) {
      throw new APIConnectionError(
        `DeepSeek closed the connection before answering ${this.request.method} ${this.request.path}` +
          `${marks.padded ? ' (the request was queued; DeepSeek drops requests that do not start within 10 minutes)' : ''}. It is retried (see maxRetries).`,
      );
    }
    const text = decodeParts(parts, size);
    this.bodyText = text;
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new ResponseParseError(
        `DeepSeek's answer to ${this.request.method} ${this.request.path} is not valid JSON. Check baseURL points at the DeepSeek API.`,
        redactStart(text, this.settings.secrets),
        error,
      );
    }
  }

  /**
   * For streams: reads until the first SSE event (skipping keep-alive comments, timed as queue
   * time) under the attempt timeout, then hands over to an EventReader governed by the idle timeout.
   */
  async openEvents(): Promise<EventReader> {
    const marks = this.settings.marks;
    const type = this.#head?.header('content-type') ?? '';
    if (type.includes('application/json') || type.includes('text/html')) await this.#notAStream(type);
    const reader = this.#getReader();
    const parser = new SSEParser({ maxLineLength: this.settings.maxLineLength });
    let events: ServerSentEvent[] = [];
    try {
      while (reader && events.length === 0) {
        const { done, value } = await reader.read();
        this.throwIfAborted(QUEUED);
        if (done) {
          events = parser.end();
          break;
        }
        events = parser.push(value);
      }
    } catch (error) {
      throw this.fail(this.#lineTooLong(error), QUEUED);
    }
    if (parser.comments > 0) marks.padded = true;
    if (events.length === 0) {
      this.#cleanup();
      throw new APIConnectionError(
        `DeepSeek closed the stream of ${this.request.method} ${this.request.path} before sending any data` +
          `${marks.padded ? ' (the request was queued; DeepSeek drops requests that do not start within 10 minutes)' : ''}. It is retried (see maxRetries).`,
      );
    }
    marks.firstChunkAt = performance.now();
    // The answer has started: from here on the idle timeout replaces the attempt timeout.
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    return new EventReader(this, reader!, parser, events, this.settings.idleTimeoutMs);
  }

  /** For the event reader: a read waited longer than the idle timeout. */
  idle(): void {
    this.#abort('idle');
  }

  /** An over-long SSE line (SSELineTooLongError from the parser) as the typed, documented error. */
  #lineTooLong(error: unknown): unknown {
    if (!(error instanceof SSELineTooLongError)) return error;
    const limit = this.settings.maxLineLength;
    const { method, path } = this.request;
    this.close();
    return new ResponseTooLargeError(
      'maxLineLength',
      limit,
      `A line of the stream of ${method} ${path} is longer than ${limit} characters (the \`maxLineLength\` option); the stream was stopped. ` +
        'DeepSeek sends one small chunk per line: check baseURL, or raise `maxLineLength`.',
    );
  }

  /** For the event reader: maps a parser error (an over-long line) to its typed error. */
  lineError(error: unknown): unknown {
    return this.#lineTooLong(error);
  }

  /** A streamed request answered with a whole JSON or HTML body: an error object, or a wrong baseURL. */
  async #notAStream(type: string): Promise<never> {
    const { method, path } = this.request;
    const body = type.includes('application/json') ? await this.readJson() : undefined;
    const error = (body as { error?: unknown } | undefined)?.error;
    if (error !== undefined && error !== null) {
      throw makeAPIError(this.#head!.status, parsedFromErrorObject(error), this.#head!.headers, {
        method,
        path,
        secrets: this.settings.secrets,
      });
    }
    this.close();
    throw new ResponseParseError(
      `DeepSeek answered the streamed request ${method} ${path} with ${type} instead of an event stream. Check baseURL points at the DeepSeek API.`,
      body === undefined ? '' : redactStart(JSON.stringify(body), this.settings.secrets),
    );
  }

  /** Marks the end of a stream that was read to its end. */
  finished(): void {
    this.settings.marks.endAt = performance.now();
    this.#cleanup();
  }
}

function describeCause(error: Error): string {
  const cause = error.cause;
  if (cause instanceof Error && cause.message) return `${error.message} (${cause.message})`;
  return error.message || error.name;
}

const decoder = new TextDecoder();

function decodeParts(parts: Uint8Array[], size: number): string {
  if (parts.length === 1) return decoder.decode(parts[0]);
  const all = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  return decoder.decode(all);
}
