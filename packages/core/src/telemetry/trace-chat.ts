/**
 * Wires a `ChatSpan` around `chat.completions.create()` and `.stream()` (and around FIM's
 * `completions.create()` and `.stream()`) when telemetry is on for
 * the call (the client's `telemetry`, or the call's `options.telemetry`). With it off, the
 * request path is untouched.
 */

import type { RequestOptions } from '../client/options.js';
import type { EventReader } from '../internal/http/event-reader.js';
import type { RetryInfo } from '../internal/http/retry.js';
import type { RequestTiming, TimingMarks } from '../internal/http/timing.js';
import type { StreamSource } from '../streaming/stream.js';
import { type CallTelemetry, type ChatOutcome, ChatSpan, type SpanRequest } from './chat-span.js';
import type { Telemetry } from './telemetry.js';

/** The telemetry of a call, or undefined when it is off. */
export function callTelemetry(
  options: RequestOptions | undefined,
  clientTelemetry: Telemetry | undefined,
): Telemetry | undefined {
  return options?.telemetry?.telemetry ?? clientTelemetry;
}

/** What a non-streamed request resolves with (the parts the span reads). */
interface Answered {
  data: NonNullable<ChatOutcome['completion']>;
  requestId: string | undefined;
  timing: RequestTiming;
}

/** Runs a non-streamed request inside a `chat` (or `text_completion`) span. */
export async function traceCreate<R extends Answered>(
  telemetry: Telemetry,
  request: SpanRequest,
  url: string,
  apiKey: string | undefined,
  options: RequestOptions | undefined,
  send: (onRetry: (info: RetryInfo) => void) => Promise<R>,
): Promise<R> {
  await telemetry.ready();
  const span = new ChatSpan(telemetry, request, false, url, apiKey, options?.telemetry);
  let result: R;
  try {
    result = await send((info) => span.retry(info));
  } catch (error) {
    span.end({ error, requestId: (error as { requestId?: string }).requestId });
    throw error;
  }
  span.end({ completion: result.data, requestId: result.requestId, timing: result.timing });
  return result;
}

/**
 * Traces a streamed request: the span starts when the stream opens and ends when it ends
 * (read to the end, failed, aborted or abandoned by breaking out of the loop).
 * `snapshot` gives what arrived (the stream is built after this call).
 */
export function traceStream(
  telemetry: Telemetry,
  request: SpanRequest,
  url: string,
  apiKey: string | undefined,
  options: RequestOptions | undefined,
  source: StreamSource,
  retries: { onRetry?: ((info: RetryInfo) => void) | undefined },
  snapshot: () => ChatOutcomeCompletion,
): StreamSource {
  return new TracedSource(telemetry, request, url, apiKey, options?.telemetry, source, retries, snapshot);
}

/** A stream source whose request runs in a span: one object per request, no closures. */
class TracedSource implements StreamSource {
  readonly marks: TimingMarks;
  readonly latch: StreamSource['latch'];
  readonly context: StreamSource['context'];
  readonly #telemetry: Telemetry;
  readonly #request: SpanRequest;
  readonly #url: string;
  readonly #apiKey: string | undefined;
  readonly #call: CallTelemetry | undefined;
  readonly #source: StreamSource;
  readonly #retries: { onRetry?: ((info: RetryInfo) => void) | undefined };
  readonly #snapshot: () => ChatOutcomeCompletion;
  #span: ChatSpan | undefined;

  constructor(
    telemetry: Telemetry,
    request: SpanRequest,
    url: string,
    apiKey: string | undefined,
    call: CallTelemetry | undefined,
    source: StreamSource,
    retries: { onRetry?: ((info: RetryInfo) => void) | undefined },
    snapshot: () => ChatOutcomeCompletion,
  ) {
    this.marks = source.marks;
    this.latch = source.latch;
    this.context = source.context;
    this.#telemetry = telemetry;
    this.#request = request;
    this.#url = url;
    this.#apiKey = apiKey;
    this.#call = call;
    this.#source = source;
    this.#retries = retries;
    this.#snapshot = snapshot;
  }

  open(): Promise<EventReader> {
    // Loaded already in the common case: the span starts before anything is sent.
    if (this.#telemetry.loadedApi !== undefined) {
      this.#start();
      return this.#source.open();
    }
    return this.#telemetry.ready().then(() => {
      this.#start();
      return this.#source.open();
    });
  }

  onEnd(error: unknown, details: { usage: unknown; requestId: string | undefined; result?: unknown }): void {
    this.#source.onEnd?.(error, details);
    this.#span?.end({
      // A completed stream's result, else what arrived (a snapshot is built only then).
      completion: (details.result as ChatOutcomeCompletion) ?? this.#snapshot(),
      requestId: details.requestId,
      timing: this.marks.toJSON(),
      error,
    });
  }

  #start(): void {
    const span = new ChatSpan(this.#telemetry, this.#request, true, this.#url, this.#apiKey, this.#call);
    this.#span = span;
    // Retries are rare: the closure is only called then.
    this.#retries.onRetry = (info) => span.retry(info);
  }
}

type ChatOutcomeCompletion = ChatOutcome['completion'];
