/**
 * Wires a `ChatSpan` around `chat.completions.create()` and `.stream()` (and around FIM's
 * `completions.create()` and `.stream()`) when telemetry is on for
 * the call (the client's `telemetry`, or the call's `options.telemetry`). With it off, the
 * request path is untouched.
 */
import type { RequestOptions } from '../options.js';
import type { RetryInfo } from '../retry.js';
import type { StreamSource } from '../stream.js';
import type { RequestTiming } from '../timing.js';
import { type ChatOutcome, ChatSpan, type SpanRequest } from './chat-span.js';
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
    result = await send(span.retry);
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
  let span: ChatSpan | undefined;
  const start = () => {
    span = new ChatSpan(telemetry, request, true, url, apiKey, options?.telemetry);
    retries.onRetry = span.retry;
  };
  const open = source.open;
  const onEnd = source.onEnd;
  return {
    ...source,
    open: () => {
      // Loaded already in the common case: the span starts before anything is sent.
      if (telemetry.loadedApi !== undefined) {
        start();
        return open();
      }
      return telemetry.ready().then(() => {
        start();
        return open();
      });
    },
    onEnd: (error, details) => {
      onEnd?.(error, details);
      span?.end({
        completion: snapshot(),
        requestId: details.requestId,
        timing: source.marks.toJSON(),
        error,
      });
    },
  };
}

type ChatOutcomeCompletion = ChatOutcome['completion'];
