/** `client.chat.completions`: chat completions, plain or streamed. */
import { APIPromise } from '../client/api-promise.js';
import type { RequestOptions } from '../client/options.js';
import { PreflightError } from '../errors/errors.js';
import type { HttpClient } from '../internal/http/http-client.js';
import { chatCompletionShape } from '../internal/http/response-shape.js';
import type { RetryInfo } from '../internal/http/retry.js';
import { type PreflightWarn, preflightChat } from '../internal/request/preflight.js';
import { ChatCompletionStream, INCLUDE_USAGE } from '../streaming/chat-stream.js';
import { callTelemetry, traceCreate, traceStream } from '../telemetry/trace-chat.js';
import type {
  ChatCompletion,
  ChatCompletionCreateParamsBase,
  ChatCompletionCreateParamsNonStreaming,
} from '../wire/wire-types.js';

/** Prefix completion (last message `prefix: true`) and strict tools only work on the beta base URL. */
function needsBeta(params: ChatCompletionCreateParamsBase): boolean {
  const messages = params.messages;
  const last = Array.isArray(messages) ? messages[messages.length - 1] : undefined;
  if (last?.role === 'assistant' && last.prefix === true) return true;
  const tools = params.tools;
  if (Array.isArray(tools)) for (const tool of tools) if (tool?.function?.strict === true) return true;
  return false;
}

/** Params of `chat.completions.stream()`: `stream: true` is implied (any `stream` value is replaced). */
export type ChatCompletionStreamParams = ChatCompletionCreateParamsBase & { stream?: boolean | undefined };

/** `POST /chat/completions`. */
export class ChatCompletions {
  readonly #http: HttpClient;
  /** Logs settings thinking mode ignores (made once, not per request). */
  readonly #warn: PreflightWarn;

  /** @internal */
  constructor(http: HttpClient) {
    this.#http = http;
    this.#warn = http.warn('/chat/completions');
  }

  /**
   * Creates a chat completion and resolves with the whole answer. Requests with a `prefix: true`
   * last message or strict tools go to the beta base URL by themselves.
   *
   * @example
   * const completion = await client.chat.completions.create({
   *   model: 'deepseek-flash',
   *   messages: [{ role: 'user', content: 'Hello' }],
   * });
   */
  create(
    params: ChatCompletionCreateParamsNonStreaming,
    options?: RequestOptions,
  ): APIPromise<ChatCompletion> {
    return new APIPromise(this.#create(params, options));
  }

  async #create(params: ChatCompletionCreateParamsNonStreaming, options: RequestOptions | undefined) {
    const http = this.#http;
    if ((params as { stream?: unknown }).stream === true) {
      throw new PreflightError(
        'stream-in-create',
        'stream',
        'create() returns the whole completion: drop `stream: true`, or call chat.completions.stream() to get chunks.',
      );
    }
    const base = needsBeta(params) ? 'beta' : 'api';
    if (http.preflight(options)) preflightChat(params, false, this.#warn, http.options.extraModels);
    const endpoint = {
      method: 'POST',
      base,
      path: '/chat/completions',
      body: params,
      shape: chatCompletionShape,
    } as const;
    const telemetry = callTelemetry(options, http.options.telemetry);
    if (telemetry === undefined) return http.json<ChatCompletion>(endpoint, options);
    return traceCreate(
      telemetry,
      { operation: 'chat', params },
      http.url(base, ''),
      http.options.apiKey,
      options,
      (onRetry) => http.json<ChatCompletion>({ ...endpoint, onRetry }, options),
    );
  }

  /**
   * Streams a chat completion. Iterate the chunks with `for await`, or await `finalCompletion()`.
   * Usage is requested (`stream_options.include_usage`) unless you set stream_options yourself.
   * Bad params and a missing API key throw here, before anything is sent.
   *
   * @example
   * const stream = client.chat.completions.stream({ model: 'deepseek-flash', messages });
   * for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta.content ?? '');
   */
  stream(params: ChatCompletionStreamParams, options?: RequestOptions): ChatCompletionStream {
    const http = this.#http;
    const base = needsBeta(params) ? 'beta' : 'api';
    if (http.preflight(options)) preflightChat(params, true, this.#warn, http.options.extraModels);
    // Sent as { ...params, stream: true, stream_options }, without that copy (body-json.ts).
    const body = params;
    const streamOptions = params.stream_options ?? INCLUDE_USAGE;
    const telemetry = callTelemetry(options, http.options.telemetry);
    if (telemetry === undefined) {
      return new ChatCompletionStream(
        http.stream({ method: 'POST', base, path: '/chat/completions', body, streamOptions }, options),
      );
    }
    const retries: { onRetry?: ((info: RetryInfo) => void) | undefined } = {};
    const onRetry = (info: RetryInfo) => retries.onRetry?.(info);
    const source = http.stream(
      { method: 'POST', base, path: '/chat/completions', body, streamOptions, onRetry },
      options,
    );
    const traced = traceStream(
      telemetry,
      { operation: 'chat', params },
      http.url(base, ''),
      http.options.apiKey,
      options,
      source,
      retries,
      () => stream.snapshot(),
    );
    const stream = new ChatCompletionStream(traced);
    return stream;
  }
}

/** `client.chat`. */
export class Chat {
  readonly completions: ChatCompletions;

  /** @internal */
  constructor(http: HttpClient) {
    this.completions = new ChatCompletions(http);
  }
}
