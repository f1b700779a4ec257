/** `client.completions`: FIM (fill in the middle), always on the beta base URL. */
import { APIPromise } from '../client/api-promise.js';
import type { RequestOptions } from '../client/options.js';
import { PreflightError } from '../errors/errors.js';
import type { HttpClient } from '../internal/http/http-client.js';
import { completionShape } from '../internal/http/response-shape.js';
import type { RetryInfo } from '../internal/http/retry.js';
import { preflightCompletion } from '../internal/request/preflight.js';
import { CompletionStream, INCLUDE_USAGE } from '../streaming/chat-stream.js';
import { callTelemetry, traceCreate, traceStream } from '../telemetry/trace-chat.js';
import type {
  Completion,
  CompletionCreateParamsBase,
  CompletionCreateParamsNonStreaming,
} from '../wire/wire-types.js';

/** Params of `completions.stream()`: `stream: true` is implied (any `stream` value is replaced). */
export type CompletionStreamParams = CompletionCreateParamsBase & { stream?: boolean | undefined };

/** `POST {betaBaseURL}/completions`. */
export class Completions {
  readonly #http: HttpClient;

  /** @internal */
  constructor(http: HttpClient) {
    this.#http = http;
  }

  /**
   * Fills the gap between `prompt` and `suffix` (non-thinking, up to about 4K output tokens).
   *
   * @example
   * const fim = await client.completions.create({ model: 'deepseek-flash', prompt: 'def fib(n):', suffix: 'return a' });
   */
  create(params: CompletionCreateParamsNonStreaming, options?: RequestOptions): APIPromise<Completion> {
    return new APIPromise(this.#create(params, options));
  }

  async #create(params: CompletionCreateParamsNonStreaming, options: RequestOptions | undefined) {
    if ((params as { stream?: unknown }).stream === true) {
      throw new PreflightError(
        'stream-in-create',
        'stream',
        'create() returns the whole completion: drop `stream: true`, or call completions.stream() to get chunks.',
      );
    }
    const http = this.#http;
    if (http.preflight(options)) preflightCompletion(params, false, http.options.extraModels);
    const endpoint = {
      method: 'POST',
      base: 'beta',
      path: '/completions',
      body: params,
      shape: completionShape,
    } as const;
    const telemetry = callTelemetry(options, http.options.telemetry);
    if (telemetry === undefined) return http.json<Completion>(endpoint, options);
    return traceCreate(
      telemetry,
      { operation: 'text_completion', params },
      http.url('beta', ''),
      http.options.apiKey,
      options,
      (onRetry) => http.json<Completion>({ ...endpoint, onRetry }, options),
    );
  }

  /** Streams a FIM completion; iterate it or await `finalCompletion()`. */
  stream(params: CompletionStreamParams, options?: RequestOptions): CompletionStream {
    const http = this.#http;
    if (http.preflight(options)) preflightCompletion(params, true, http.options.extraModels);
    const body = {
      ...params,
      stream: true,
      stream_options: params.stream_options ?? INCLUDE_USAGE,
    };
    const telemetry = callTelemetry(options, http.options.telemetry);
    if (telemetry === undefined) {
      return new CompletionStream(
        http.stream({ method: 'POST', base: 'beta', path: '/completions', body }, options),
      );
    }
    // As chat.completions.stream(): the span starts when the stream is first read.
    const retries: { onRetry?: ((info: RetryInfo) => void) | undefined } = {};
    const onRetry = (info: RetryInfo) => retries.onRetry?.(info);
    const source = http.stream(
      { method: 'POST', base: 'beta', path: '/completions', body, onRetry },
      options,
    );
    const traced = traceStream(
      telemetry,
      { operation: 'text_completion', params },
      http.url('beta', ''),
      http.options.apiKey,
      options,
      source,
      retries,
      () => stream.snapshot(),
    );
    const stream = new CompletionStream(traced);
    return stream;
  }
}
