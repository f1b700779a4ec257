/** `client.completions`: FIM (fill in the middle), always on the beta base URL. */
import { APIPromise } from '../api-promise.js';
import { CompletionStream } from '../chat-stream.js';
import { PreflightError } from '../errors.js';
import type { HttpClient } from '../http-client.js';
import type { RequestOptions } from '../options.js';
import { preflightCompletion } from '../preflight.js';
import { completionShape } from '../response-shape.js';
import type {
  Completion,
  CompletionCreateParamsBase,
  CompletionCreateParamsNonStreaming,
} from '../wire-types.js';

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
    if (this.#http.preflight(options)) preflightCompletion(params, false, this.#http.options.extraModels);
    return this.#http.json<Completion>(
      { method: 'POST', base: 'beta', path: '/completions', body: params, shape: completionShape },
      options,
    );
  }

  /** Streams a FIM completion; iterate it or await `finalCompletion()`. */
  stream(params: CompletionStreamParams, options?: RequestOptions): CompletionStream {
    const http = this.#http;
    if (http.preflight(options)) preflightCompletion(params, true, http.options.extraModels);
    const body = {
      ...params,
      stream: true,
      stream_options: params.stream_options ?? { include_usage: true },
    };
    return new CompletionStream(
      http.stream({ method: 'POST', base: 'beta', path: '/completions', body }, options),
    );
  }
}
