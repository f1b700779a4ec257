import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorState } from '../state.js';
import type { RecordedRequest } from '../types.js';
import { type EmulatorHttpError, errorEnvelope } from '../wire/errors.js';

/** One request being answered: the recorded request, the response and helpers to write it. */
export class Exchange {
  readonly state: EmulatorState;
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly record: RecordedRequest;
  readonly traceId: string;
  readonly signal: AbortSignal;
  /** The raw request body (a multipart upload is not text). */
  bytes: Buffer | undefined;
  /** The Anthropic-format endpoint answers errors in Anthropic's envelope. */
  anthropic = false;
  private readonly controller = new AbortController();

  constructor(
    state: EmulatorState,
    request: IncomingMessage,
    response: ServerResponse,
    record: RecordedRequest,
    traceId: string,
  ) {
    this.state = state;
    this.request = request;
    this.response = response;
    this.record = record;
    this.traceId = traceId;
    this.signal = this.controller.signal;
    const abort = () => this.controller.abort();
    response.once('close', abort);
    if (state.closing.signal.aborted) abort();
    else state.closing.signal.addEventListener('abort', abort, { once: true });
    response.once('close', () => state.closing.signal.removeEventListener('abort', abort));
  }

  /** Writes the status line and headers (plus `x-ds-trace-id`) and records the status. */
  head(status: number, headers: Record<string, string | number>): void {
    this.record.status = status;
    this.response.writeHead(status, { 'x-ds-trace-id': this.traceId, ...headers });
  }

  /** A complete JSON answer. */
  json(status: number, body: string, headers: Record<string, string> = {}): void {
    this.head(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      ...headers,
    });
    this.response.end(body);
  }

  /** DeepSeek's error envelope (or the error's raw body, e.g. openresty's HTML 413). */
  error(error: EmulatorHttpError): void {
    const body =
      error.rawBody ??
      (this.anthropic
        ? JSON.stringify({ type: 'error', error: { type: error.type, message: error.message } })
        : errorEnvelope(error.message, error.type));
    this.head(error.status, {
      'content-type': error.contentType ?? 'application/json',
      'content-length': Buffer.byteLength(body),
      ...error.headers,
    });
    this.response.end(body);
  }

  /** Kills the connection without an answer. */
  drop(): void {
    this.response.socket?.destroy();
    this.response.destroy();
  }

  /** Writes `chunk`, waiting for the socket to drain when its buffer is full. */
  async write(chunk: string | Uint8Array): Promise<void> {
    if (this.signal.aborted) return;
    if (this.response.write(chunk)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.response.off('drain', done);
        this.signal.removeEventListener('abort', done);
        resolve();
      };
      this.response.on('drain', done);
      this.signal.addEventListener('abort', done, { once: true });
    });
  }

  /** Resolves after `ms` (or early, when the client or the emulator goes away). */
  sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.signal.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      const signal = this.signal;
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
