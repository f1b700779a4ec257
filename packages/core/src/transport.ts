/**
 * One HTTP attempt: fetch with a per-attempt timeout and the caller's signal, error statuses turned
 * into APIErrors, keep-alive padding measured as queue time, and (for streams) an idle timeout
 * that only runs while the reader waits for bytes after the answer started.
 */
import { makeAPIError, parsedFromErrorObject } from './error-response.js';
import {
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  ConfigError,
  type DeepSeekError,
  isDeepSeekError,
  ResponseParseError,
} from './errors.js';
import { EventReader } from './event-reader.js';
import { redact } from './redact.js';
import { type ServerSentEvent, SSEParser } from './sse.js';
import type { TimingMarks } from './timing.js';

/** A prepared HTTP request; the body is serialized once and reused by every attempt. */
export interface HttpRequest {
  method: string;
  url: string;
  /** For messages and logs, e.g. `/beta/chat/completions`. */
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** Settings shared by the attempts of one call. */
export interface AttemptSettings {
  fetch: typeof fetch;
  /** The API key, only to scrub it from error text. */
  secret: string | undefined;
  timeoutMs: number;
  idleTimeoutMs: number;
  signal: AbortSignal | undefined;
  marks: TimingMarks;
  /** Extra `fetch` init (e.g. an undici `dispatcher` for a proxy); method, headers, body, signal and redirect stay the client's. */
  fetchOptions?: FetchOptions | undefined;
}

/** `RequestInit` plus what a runtime's fetch accepts beyond it (undici's `dispatcher`, Bun's `proxy`). */
export type FetchOptions = RequestInit & { dispatcher?: unknown; proxy?: unknown };

type AbortKind = 'user' | 'timeout' | 'idle' | 'closed';

const SENDING = 'sending the request';

function isWhitespace(byte: number): boolean {
  return byte === 10 || byte === 13 || byte === 32 || byte === 9;
}

/** An HTTP exchange in flight. Create it with `Attempt.start`; always end it with `close` or by reading to the end. */
export class Attempt {
  readonly request: HttpRequest;
  readonly settings: AttemptSettings;
  readonly #controller = new AbortController();
  #abortKind: AbortKind | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #onUserAbort: (() => void) | undefined;
  #response: Response | undefined;
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
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

  get response(): Response {
    return this.#response!;
  }

  get requestId(): string | undefined {
    const headers = this.#response?.headers;
    return headers?.get('x-ds-trace-id') ?? headers?.get('x-request-id') ?? undefined;
  }

  async #send(): Promise<void> {
    const { signal, marks, timeoutMs } = this.settings;
    if (signal?.aborted) throw new APIUserAbortError(undefined, signal.reason);
    if (signal) {
      this.#onUserAbort = () => this.#abort('user');
      signal.addEventListener('abort', this.#onUserAbort, { once: true });
    }
    marks.attempts++;
    marks.attemptStart = performance.now();
    marks.headersAt = 0;
    marks.firstChunkAt = 0;
    marks.padded = false;
    this.#timer = setTimeout(() => this.#abort('timeout'), timeoutMs);
    const { method, url, headers, body } = this.request;
    let response: Response;
    try {
      response = await this.settings.fetch(url, {
        ...this.settings.fetchOptions,
        method,
        headers,
        body: body ?? null,
        signal: this.#controller.signal,
        // DeepSeek never redirects, and a redirected POST would lose its body. Refusing redirects
        // also spares fetch a copy of every request (undici clones requests it may redirect).
        redirect: 'error',
      });
    } catch (error) {
      throw this.fail(error, SENDING);
    }
    marks.headersAt = performance.now();
    this.#response = response;
    if (response.status >= 400) {
      let text = '';
      try {
        text = await response.text();
      } catch (error) {
        throw this.fail(error, 'reading the error body');
      }
      this.#cleanup();
      throw makeAPIError(response.status, text, response.headers, {
        method,
        path: this.request.path,
        secret: this.settings.secret,
      });
    }
  }

  #abort(kind: AbortKind): void {
    if (this.#abortKind !== undefined) return;
    this.#abortKind = kind;
    this.#controller.abort();
  }

  #cleanup(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#onUserAbort) this.settings.signal?.removeEventListener('abort', this.#onUserAbort);
    this.#onUserAbort = undefined;
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
    const reason = error instanceof Error ? describeCause(error) : String(error);
    if (phase === SENDING && /redirect/i.test(reason)) {
      return new ConfigError(
        'baseURL',
        `${method} ${path} was answered with a redirect, which this client does not follow (DeepSeek does not redirect, and a ` +
          'redirected POST loses its body). Set `baseURL` / `betaBaseURL` to the address the requests should go to, e.g. https://api.deepseek.com.',
      );
    }
    return new APIConnectionError(
      redact(
        `Connection error while ${phase} (${method} ${path}): ${reason}. Check your network and baseURL; connection errors are retried (see maxRetries).`,
        this.settings.secret,
      ),
      { cause: error },
    );
  }

  /** Stops the exchange (consumer done early): aborts the fetch and releases timers and listeners. */
  close(): void {
    this.#abort('closed');
    this.#cleanup();
    this.#reader?.cancel().catch(() => {});
  }

  #getReader(): ReadableStreamDefaultReader<Uint8Array> | undefined {
    if (this.#reader === undefined && this.#response?.body) this.#reader = this.#response.body.getReader();
    return this.#reader;
  }

  /**
   * Reads a non-streamed body: leading blank lines (DeepSeek's keep-alive while queued) are
   * skipped and timed as queue time; the rest is parsed as JSON. The attempt timeout covers it all.
   */
  async readJson(): Promise<unknown> {
    const marks = this.settings.marks;
    const reader = this.#getReader();
    const parts: Uint8Array[] = [];
    let size = 0;
    let started = false;
    try {
      while (reader) {
        const { done, value } = await reader.read();
        if (done) break;
        if (!started) {
          let i = 0;
          while (i < value.length && isWhitespace(value[i]!)) i++;
          if (i > 0) marks.padded = true;
          if (i === value.length) continue;
          started = true;
          marks.firstChunkAt = performance.now();
        }
        parts.push(value);
        size += value.length;
      }
    } catch (error) {
      throw this.fail(error, started ? 'reading the answer' : 'waiting in DeepSeek’s queue (keep-alive)');
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
        text,
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
    const type = this.#response?.headers.get('content-type') ?? '';
    if (type.includes('application/json') || type.includes('text/html')) await this.#notAStream(type);
    const reader = this.#getReader();
    const parser = new SSEParser();
    let events: ServerSentEvent[] = [];
    try {
      while (reader && events.length === 0) {
        const { done, value } = await reader.read();
        if (done) {
          events = parser.end();
          break;
        }
        events = parser.push(value);
      }
    } catch (error) {
      throw this.fail(error, 'waiting in DeepSeek’s queue (keep-alive)');
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
    return new EventReader(this, reader!, parser, events, this.settings.idleTimeoutMs, () =>
      this.#abort('idle'),
    );
  }

  /** A streamed request answered with a whole JSON or HTML body: an error object, or a wrong baseURL. */
  async #notAStream(type: string): Promise<never> {
    const { method, path } = this.request;
    const body = type.includes('application/json') ? await this.readJson() : undefined;
    const error = (body as { error?: unknown } | undefined)?.error;
    if (error !== undefined && error !== null) {
      throw makeAPIError(this.#response!.status, parsedFromErrorObject(error), this.#response!.headers, {
        method,
        path,
        secret: this.settings.secret,
      });
    }
    this.close();
    throw new ResponseParseError(
      `DeepSeek answered the streamed request ${method} ${path} with ${type} instead of an event stream. Check baseURL points at the DeepSeek API.`,
      body === undefined ? '' : JSON.stringify(body),
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
