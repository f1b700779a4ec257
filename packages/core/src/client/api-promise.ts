/** The promise a non-streamed call returns: the parsed body, plus `.withResponse()` for the details. */
import type { RequestTiming } from '../internal/http/timing.js';

/**
 * A parsed body with `_request_id`, as openai-node returns it: DeepSeek's trace id for the call.
 * The property is not enumerable, so it never shows up in `JSON.stringify` or snapshots.
 */
export type WithRequestID<T> = T extends object ? T & { _request_id?: string | undefined } : T;

/** A parsed answer with what came with it. */
export interface APIResult<T> {
  data: WithRequestID<T>;
  /** The HTTP response (its body was already read into `data`; use `asResponse()` for a readable one). */
  response: Response;
  /** DeepSeek's trace id (`x-ds-trace-id`), openai-node's name; quote it when reporting a problem. */
  request_id: string | undefined;
  /** The same id under plumb's camelCase name. */
  requestId: string | undefined;
  status: number;
  headers: Headers;
  /** Where the time went: queue (keep-alive padding), first byte, total, attempts. */
  timing: RequestTiming;
}

/** What the client hands an APIPromise: the result plus the body text (for `asResponse()`). */
export interface RawAPIResult<T> extends Omit<APIResult<T>, 'data' | 'request_id'> {
  data: T;
  /** The body exactly as received (after DeepSeek's keep-alive padding), when there was one. */
  bodyText?: string | undefined;
}

/** Sets openai-node's `_request_id` on a parsed object, not enumerable. */
function attachRequestId<T>(data: T, requestId: string | undefined): WithRequestID<T> {
  if (typeof data === 'object' && data !== null && Object.isExtensible(data)) {
    Object.defineProperty(data, '_request_id', { value: requestId, enumerable: false, configurable: true });
  }
  return data as WithRequestID<T>;
}

/**
 * A Promise of the parsed body. `await client.chat.completions.create(...)` gives the completion
 * (with `_request_id`); `.withResponse()` gives `{ data, response, request_id, requestId, status,
 * headers, timing }`; `.asResponse()` gives a `Response` to read yourself. The request starts at
 * once, whether or not any of them is awaited.
 *
 * @example
 * const { data, request_id, timing } = await client.chat.completions.create(params).withResponse();
 * console.log(data.choices[0].message.content, request_id, `queued ${timing.queueMs} ms`);
 */
export class APIPromise<T> extends Promise<WithRequestID<T>> {
  readonly #raw: Promise<RawAPIResult<T>>;
  #result: Promise<APIResult<T>> | undefined;
  #data: Promise<WithRequestID<T>> | undefined;

  /** @internal */
  constructor(result: Promise<RawAPIResult<T>>) {
    super((resolve) => resolve(undefined as WithRequestID<T>));
    this.#raw = result;
  }

  // `then` on a subclass would otherwise build new APIPromises through this constructor.
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  /** Resolves with the parsed body and its request id, response, status, headers and timing. */
  withResponse(): Promise<APIResult<T>> {
    this.#result ??= this.#raw.then(({ bodyText: _, ...raw }) => ({
      ...raw,
      data: attachRequestId(raw.data, raw.requestId),
      request_id: raw.requestId,
    }));
    return this.#result;
  }

  /**
   * Resolves with a `Response` whose body you can read (openai-node's `asResponse()`). Unlike
   * openai-node, the client has already read and checked the body (that is how it retries a
   * broken answer and turns an error body into an APIError), so this resolves once the body is in,
   * and an error status rejects with its APIError as any call does.
   */
  asResponse(): Promise<Response> {
    return this.#raw.then(({ response, bodyText, data }) => {
      const body = bodyText ?? JSON.stringify(data);
      return new Response(body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    });
  }

  #parsed(): Promise<WithRequestID<T>> {
    // Not through withResponse(): its object would build the Response and Headers for nothing.
    this.#data ??= this.#raw.then((raw) => attachRequestId(raw.data, raw.requestId));
    return this.#data;
  }

  // biome-ignore lint/suspicious/noThenProperty: a Promise subclass whose then() yields the parsed body.
  override then<TResult1 = WithRequestID<T>, TResult2 = never>(
    onfulfilled?: ((value: WithRequestID<T>) => TResult1 | PromiseLike<TResult1>) | null,
    onrejected?: ((reason: unknown) => TResult2 | PromiseLike<TResult2>) | null,
  ): Promise<TResult1 | TResult2> {
    return this.#parsed().then(onfulfilled, onrejected);
  }

  override catch<TResult = never>(
    onrejected?: ((reason: unknown) => TResult | PromiseLike<TResult>) | null,
  ): Promise<WithRequestID<T> | TResult> {
    return this.#parsed().catch(onrejected);
  }

  override finally(onfinally?: (() => void) | null): Promise<WithRequestID<T>> {
    return this.#parsed().finally(onfinally);
  }
}
