/** The promise a non-streamed call returns: the parsed body, plus `.withResponse()` for the details. */
import type { RequestTiming } from './timing.js';

/** A parsed answer with what came with it. */
export interface APIResult<T> {
  data: T;
  /** DeepSeek's trace id (`x-ds-trace-id`); quote it when reporting a problem. */
  requestId: string | undefined;
  status: number;
  headers: Headers;
  /** Where the time went: queue (keep-alive padding), first byte, total, attempts. */
  timing: RequestTiming;
}

/**
 * A Promise of the parsed body. `await client.chat.completions.create(...)` gives the completion;
 * `await client.chat.completions.create(...).withResponse()` gives `{ data, requestId, status,
 * headers, timing }`. The request starts at once, whether or not either is awaited.
 *
 * @example
 * const { data, timing } = await client.chat.completions.create(params).withResponse();
 * console.log(data.choices[0].message.content, `queued ${timing.queueMs} ms`);
 */
export class APIPromise<T> extends Promise<T> {
  readonly #result: Promise<APIResult<T>>;
  #data: Promise<T> | undefined;

  /** @internal */
  constructor(result: Promise<APIResult<T>>) {
    super((resolve) => resolve(undefined as T));
    this.#result = result;
  }

  // `then` on a subclass would otherwise build new APIPromises through this constructor.
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  /** Resolves with the parsed body and its request id, status, headers and timing. */
  withResponse(): Promise<APIResult<T>> {
    return this.#result;
  }

  #parsed(): Promise<T> {
    this.#data ??= this.#result.then((result) => result.data);
    return this.#data;
  }

  // biome-ignore lint/suspicious/noThenProperty: a Promise subclass whose then() yields the parsed body.
  override then<TResult1 = T, TResult2 = never>(
    onfulfilled?: ((value: T) => TResult1 | PromiseLike<TResult1>) | null,
    onrejected?: ((reason: unknown) => TResult2 | PromiseLike<TResult2>) | null,
  ): Promise<TResult1 | TResult2> {
    return this.#parsed().then(onfulfilled, onrejected);
  }

  override catch<TResult = never>(
    onrejected?: ((reason: unknown) => TResult | PromiseLike<TResult>) | null,
  ): Promise<T | TResult> {
    return this.#parsed().catch(onrejected);
  }

  override finally(onfinally?: (() => void) | null): Promise<T> {
    return this.#parsed().finally(onfinally);
  }
}
