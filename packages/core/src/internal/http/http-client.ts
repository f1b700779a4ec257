/**
 * The machinery behind every endpoint: headers, body serialized once, retries, timing, logging.
 * Holds the API key in a private field; nothing here ever logs or throws it.
 */

import { defaultTransport } from '#default-transport';
import type { RawAPIResult } from '../../client/api-promise.js';
import { checkRequestOptions } from '../../client/check-options.js';
import { isEnabled, type Logger, pendingReady, resolveLogger } from '../../client/logger.js';
import {
  checkDuration,
  checkFetchOptions,
  checkRetries,
  checkSignal,
  normalizeHeaders,
  type RequestOptions,
  type ResolvedOptions,
} from '../../client/options.js';
import { APITimeoutError, ConfigError } from '../../errors/errors.js';
import type { StreamSource } from '../../streaming/stream.js';
import { isDeepFrozen } from '../../wire/frozen.js';
import { onAbort } from '../abort-fan-out.js';
import { AbortLatch, type AbortSource, subscribe } from '../abort-latch.js';
import { redactUrl } from '../redact.js';
import { bodyJson } from '../request/body-json.js';
import { ConcurrencyLimiter } from './concurrency.js';
import { type ErrorContext, makeAPIError, parsedFromErrorObject } from './error-response.js';
import { fetchTransport } from './fetch-transport.js';
import { checkShape, type ResponseShape } from './response-shape.js';
import { type RetryInfo, withRetries } from './retry.js';
import { TimingMarks } from './timing.js';
import { Attempt, type AttemptSettings, type HttpRequest, type Transport } from './transport.js';

/** Which base URL a path is under. */
export type BaseKind = 'api' | 'beta' | 'root';

/** One endpoint call. */
export interface Endpoint {
  method: string;
  base: BaseKind;
  /** Path under the base, starting with `/`. */
  path: string;
  /** An object to send as JSON, or a string sent as is. */
  body?: unknown;
  /** A multipart body (file uploads): sent as is, fetch sets its content-type and boundary. */
  form?: FormData | undefined;
  stream?: boolean | undefined;
  /**
   * For a streamed JSON body: sent as `{ ...body, stream: true, stream_options: streamOptions }`,
   * without copying the body (body-json.ts).
   */
  streamOptions?: object | undefined;
  /** What a successful JSON answer must contain (checked after parsing; a mismatch is a ResponseParseError). */
  shape?: ResponseShape | undefined;
  /** Called before each retry's wait (telemetry records it on the request's span). */
  onRetry?: ((info: RetryInfo) => void) | undefined;
}

/**
 * The transport of a request: the runtime's default (node:http on Node, fetch elsewhere: the
 * `#default-transport` import's conditions), unless the request needs fetch: the caller passed
 * their own `fetch`, any `fetchOptions` (an undici `dispatcher`, Bun's `proxy`...: fetch init
 * only fetch understands), or a multipart body.
 */
export function pickTransport(
  options: Pick<ResolvedOptions, 'defaultFetch'>,
  fetchOptions: unknown,
  body: HttpRequest['body'],
): Transport {
  if (!options.defaultFetch || fetchOptions !== undefined || typeof body === 'object') return fetchTransport;
  return defaultTransport;
}

/** Whether the global fetch is Node's own (undici), whose hold on a text body `releaseBody` avoids. */
const NODE_FETCH = (() => {
  const scope = globalThis as { process?: { versions?: Record<string, unknown> }; Deno?: unknown };
  const versions = scope.process?.versions;
  return typeof versions?.node === 'string' && versions.bun === undefined && scope.Deno === undefined;
})();

const MISSING_KEY =
  'No DeepSeek API key: pass `apiKey` to new DeepSeek({ apiKey }) or set the DEEPSEEK_API_KEY environment variable ' +
  '(create a key at https://platform.deepseek.com/api_keys).';

/** @internal The shared request engine of a client. */
export class HttpClient {
  readonly #options: ResolvedOptions;
  readonly #logger: Logger;
  readonly #jsonHeaders: Record<string, string> | undefined;
  readonly #streamHeaders: Record<string, string> | undefined;
  readonly #rootURL: string;
  readonly #limiter: ConcurrencyLimiter | undefined;
  /** Set while a logger plumb created waits for pino; a request waits for it (and fails if pino is missing). */
  #loggerReady: Promise<void> | undefined;
  /**
   * The headers of a request with deeply frozen `headers` options (an agent run's, frozen once
   * per run): merged once, not on every request. By those options, for streamed and JSON calls.
   */
  readonly #mergedStream = new WeakMap<object, Record<string, string>>();
  readonly #mergedJson = new WeakMap<object, Record<string, string>>();

  /** `limiter`: one to share (a client made by `withOptions`); by default one of `maxConcurrency` slots. */
  constructor(options: ResolvedOptions, limiter?: ConcurrencyLimiter | undefined) {
    this.#options = options;
    const max = options.maxConcurrency;
    this.#limiter = max === undefined ? undefined : (limiter ?? new ConcurrencyLimiter(max));
    this.#logger = resolveLogger(options.logger, options.logLevel);
    const ready = pendingReady(this.#logger);
    if (ready !== undefined) {
      this.#loggerReady = ready.then(() => {
        this.#loggerReady = undefined;
      });
      this.#loggerReady.catch(() => {}); // reported by the requests that await it
    }
    this.#rootURL = options.baseURL.replace(/\/v1$/, '');
    const key = options.apiKey;
    if (key !== undefined) {
      const base = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
      this.#jsonHeaders = { ...base, accept: 'application/json', ...options.defaultHeaders };
      this.#streamHeaders = { ...base, accept: 'text/event-stream', ...options.defaultHeaders };
    }
  }

  get options(): ResolvedOptions {
    return this.#options;
  }

  get logger(): Logger {
    return this.#logger;
  }

  /** The `maxConcurrency` limiter, when the option is set. */
  get limiter(): ConcurrencyLimiter | undefined {
    return this.#limiter;
  }

  /** Whether pre-flight checks run for a call. */
  preflight(options: RequestOptions | undefined): boolean {
    return options?.preflight ?? this.#options.preflight;
  }

  /** Logs a pre-flight warning (a setting DeepSeek ignores). */
  warn(path: string): (message: string, fields: string[]) => void {
    return (message, fields) => this.#logger.warn({ path, fields }, message);
  }

  url(base: BaseKind, path: string): string {
    const root =
      base === 'api' ? this.#options.baseURL : base === 'beta' ? this.#options.betaBaseURL : this.#rootURL;
    return root + path;
  }

  #prepare(endpoint: Endpoint, options: RequestOptions | undefined, stream = endpoint.stream): HttpRequest {
    checkRequestOptions(options);
    let headers = stream ? this.#streamHeaders : this.#jsonHeaders;
    if (headers === undefined) throw new ConfigError('apiKey', MISSING_KEY);
    if (options?.headers) headers = this.#withHeaders(headers, options.headers, stream === true);
    let url = this.url(endpoint.base, endpoint.path);
    const query = this.#options.defaultQuery;
    if (query !== '') url += url.includes('?') ? `&${query.slice(1)}` : query;
    const body = endpoint.body;
    if (endpoint.form !== undefined) {
      const { 'content-type': _, ...rest } = headers;
      return {
        method: endpoint.method,
        url,
        path: displayPath(url, this.#rootURL),
        headers: rest,
        body: endpoint.form,
      };
    }
    return {
      method: endpoint.method,
      url,
      path: displayPath(url, this.#rootURL),
      headers,
      // An append-only history is serialized incrementally, to the same bytes (body-json.ts).
      body:
        body === undefined
          ? undefined
          : typeof body === 'string'
            ? body
            : bodyJson(body, endpoint.streamOptions),
    };
  }

  /** The client's headers with a request's own (which win); cached for deeply frozen ones. */
  #withHeaders(
    base: Record<string, string>,
    own: Record<string, string>,
    stream: boolean,
  ): Record<string, string> {
    // Object.assign, not `{ ...base, ...own }`: several times cheaper in V8.
    if (!isDeepFrozen(own)) return Object.assign({}, base, normalizeHeaders(own, 'headers'));
    const cache = stream ? this.#mergedStream : this.#mergedJson;
    let merged = cache.get(own);
    if (merged === undefined) {
      merged = Object.assign({}, base, normalizeHeaders(own, 'headers'));
      cache.set(own, merged);
    }
    return merged;
  }

  #settings(
    request: HttpRequest,
    options: RequestOptions | undefined,
    marks: TimingMarks,
    signal: AbortSource | undefined,
  ): AttemptSettings {
    const resolved = this.#options;
    const fetchOptions = mergeFetchOptions(resolved.fetchOptions, options?.fetchOptions);
    return {
      transport: pickTransport(resolved, fetchOptions, request.body),
      fetch: resolved.fetch,
      secrets: resolved.secrets,
      timeoutMs: checkDuration('timeout', options?.timeout, resolved.timeout),
      idleTimeoutMs: checkDuration('idleTimeout', options?.idleTimeout, resolved.idleTimeout),
      maxResponseBytes: resolved.maxResponseBytes,
      maxLineLength: resolved.maxLineLength,
      signal,
      marks,
      fetchOptions,
    };
  }

  #onRetry(request: HttpRequest, endpoint: Endpoint) {
    const logger = this.#logger;
    return (info: RetryInfo) => {
      endpoint.onRetry?.(info);
      const { error, attempt, delayMs } = info;
      if (!isEnabled(logger, 'warn')) return;
      const status = (error as { status?: unknown }).status;
      logger.warn(
        {
          method: request.method,
          path: request.path,
          attempt,
          status,
          delayMs: Math.round(delayMs),
          error: (error as Error).message,
        },
        'deepseek request failed, retrying',
      );
    };
  }

  #logAttempt(request: HttpRequest, attempt: number): void {
    if (isEnabled(this.#logger, 'debug')) {
      this.#logger.debug({ method: request.method, path: request.path, attempt }, 'deepseek request attempt');
    }
  }

  #logFailure(request: HttpRequest, marks: TimingMarks, error: unknown): void {
    if (!isEnabled(this.#logger, 'warn')) return;
    const { status, requestId } = error as { status?: unknown; requestId?: unknown };
    this.#logger.warn(
      {
        method: request.method,
        path: request.path,
        attempts: marks.attempts,
        status,
        requestId,
        error: (error as Error)?.message,
      },
      'deepseek request failed',
    );
  }

  #logSuccess(
    request: HttpRequest,
    marks: TimingMarks,
    status: number,
    requestId: string | undefined,
    usage: unknown,
  ): void {
    if (!isEnabled(this.#logger, 'info')) return;
    this.#logger.info(
      {
        method: request.method,
        path: request.path,
        status,
        requestId,
        attempts: marks.attempts,
        timing: marks.toJSON(),
        usage,
      },
      'deepseek request',
    );
  }

  /** A non-streamed call: retries, JSON body, timing. */
  async json<T>(endpoint: Endpoint, options: RequestOptions | undefined): Promise<RawAPIResult<T>> {
    if (this.#loggerReady !== undefined) await this.#loggerReady;
    const request = this.#prepare(endpoint, options);
    const marks = new TimingMarks();
    const signal = checkSignal(options?.signal);
    const settings = this.#settings(request, options, marks, signal);
    const maxRetries = checkRetries(options?.maxRetries, this.#options.maxRetries);
    const limiter = this.#limiter;
    let last: Attempt | undefined;
    let data: unknown;
    try {
      data = await withRetries(
        async (attemptNumber) => {
          // The slot is held until the body was read, and given back during a retry's backoff.
          // The wait for it is part of the attempt's timeout.
          const waited =
            limiter === undefined || limiter.tryAcquire() ? 0 : await waitForSlot(limiter, signal, settings);
          try {
            this.#logAttempt(request, attemptNumber);
            const attempt = await Attempt.start(
              request,
              waited === 0 ? settings : { ...settings, usedMs: waited },
            );
            last = attempt;
            return await attempt.readJson();
          } finally {
            limiter?.release();
          }
        },
        {
          maxRetries,
          signal,
          initialDelayMs: this.#options.initialRetryDelayMs,
          onRetry: this.#onRetry(request, endpoint),
        },
      );
    } catch (error) {
      this.#logFailure(request, marks, error);
      throw error;
    }
    const answer = last!;
    const status = answer.status;
    const requestId = answer.requestId;
    const error = (data as { error?: unknown } | null)?.error;
    if (error !== undefined && error !== null) {
      const apiError = makeAPIError(
        status,
        parsedFromErrorObject(error),
        answer.headers,
        this.#context(request),
      );
      this.#logFailure(request, marks, apiError);
      throw apiError;
    }
    const wrongShape =
      endpoint.shape === undefined
        ? undefined
        : checkShape(endpoint.shape, data, request, this.#options.secrets, requestId);
    if (wrongShape !== undefined) {
      this.#logFailure(request, marks, wrongShape);
      throw wrongShape;
    }
    this.#logSuccess(request, marks, status, requestId, (data as { usage?: unknown } | null)?.usage);
    // The Response and Headers are built only when asked for (the node transport has none of its own).
    return {
      data: data as T,
      get response() {
        return answer.response;
      },
      bodyText: answer.bodyText,
      requestId,
      status,
      get headers() {
        return answer.headers!;
      },
      timing: marks.toJSON(),
    };
  }

  #context(request: HttpRequest): ErrorContext {
    return { method: request.method, path: request.path, secrets: this.#options.secrets };
  }

  /** A streamed call: what a ChunkStream needs. Throws at once for a missing key or bad options. */
  stream(endpoint: Endpoint, options: RequestOptions | undefined): StreamSource {
    const request = this.#prepare(endpoint, options, true);
    const marks = new TimingMarks();
    // The stream's abort switch: a latch, not an AbortController (abort-latch.ts: most streams
    // are never aborted, and a controller is costly on Node).
    const latch = new AbortLatch();
    const external = checkSignal(options?.signal);
    const forward = () => latch.abort(external?.reason);
    // Through onAbort: an agent's requests all wait on its run's signal, which then keeps one
    // listener for the whole run instead of gaining and losing one per request.
    let unsubscribe: (() => void) | undefined;
    if (external?.aborted) forward();
    else if (external !== undefined) unsubscribe = onAbort(external, forward);
    const settings = this.#settings(request, options, marks, latch);
    // Node's own fetch, passed or not: send the body so that undici does not keep it (transport.ts).
    if (NODE_FETCH && settings.transport === fetchTransport && isNodeFetch(this.#options)) {
      settings.releaseBody = true;
    }
    const maxRetries = checkRetries(options?.maxRetries, this.#options.maxRetries);
    const limiter = this.#limiter;
    // A stream holds its slot until it ends (onEnd) or is aborted, even if it is never read;
    // a failed attempt gives it back before the retry's backoff. `held` makes release happen once.
    let held = false;
    const release =
      limiter === undefined
        ? undefined
        : () => {
            if (!held) return;
            held = false;
            limiter.release();
          };
    if (release !== undefined) latch.onAbort(release);
    return {
      open: async () => {
        // A stream is sent on its first read: its total time starts there.
        marks.callStart = performance.now();
        if (this.#loggerReady !== undefined) await this.#loggerReady;
        // Awaited, not returned: an async function returning a promise costs two more turns.
        return await withRetries(
          async (attemptNumber) => {
            let waited = 0;
            if (limiter !== undefined) {
              if (!limiter.tryAcquire()) waited = await waitForSlot(limiter, latch, settings);
              held = true;
            }
            try {
              this.#logAttempt(request, attemptNumber);
              const attempt = await Attempt.start(
                request,
                waited === 0 ? settings : { ...settings, usedMs: waited },
              );
              const events = await attempt.openEvents();
              // The answer started: no retry can follow, so the body text (the whole history,
              // often megabytes) need not live as long as the stream does.
              request.body = undefined;
              return events;
            } catch (error) {
              release?.();
              throw error;
            }
          },
          {
            maxRetries,
            signal: latch,
            initialDelayMs: this.#options.initialRetryDelayMs,
            onRetry: this.#onRetry(request, endpoint),
          },
        );
      },
      marks,
      latch,
      context: this.#context(request),
      onEnd: (error, { usage, requestId }) => {
        release?.();
        unsubscribe?.();
        if (error === undefined) this.#logSuccess(request, marks, 200, requestId, usage);
        else this.#logFailure(request, marks, error);
      },
    };
  }
}

/**
 * Waits for a slot of a full limiter, at most the attempt's `timeout` (an APITimeoutError of kind
 * `slot`, not retried: a retry would queue again at the back). The wait is added to the request's
 * timing (`slotWaitMs`); returns it in milliseconds, for the attempt's timer to count.
 */
async function waitForSlot(
  limiter: ConcurrencyLimiter,
  signal: AbortSource | undefined,
  settings: AttemptSettings,
): Promise<number> {
  const start = performance.now();
  const deadline = new AbortController();
  const timeoutMs = settings.timeoutMs;
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  const forward = () => deadline.abort(signal?.reason);
  let unsubscribe: (() => void) | undefined;
  if (signal?.aborted) forward();
  else if (signal !== undefined) unsubscribe = subscribe(signal, forward);
  try {
    await limiter.acquire(deadline.signal);
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new APITimeoutError(
      'slot',
      timeoutMs,
      `The request waited ${timeoutMs} ms for a free slot of the client's \`maxConcurrency\` limit and timed out; nothing was sent. ` +
        'Raise `maxConcurrency` (up to your DeepSeek concurrency cap) or `timeout`; it is not retried.',
    );
  } finally {
    clearTimeout(timer);
    unsubscribe?.();
    settings.marks.slotWait += performance.now() - start;
  }
  return Math.max(performance.now() - start, Number.MIN_VALUE);
}

/** Whether the client's fetch is the runtime's global one (given or by default). */
function isNodeFetch(options: ResolvedOptions): boolean {
  return options.defaultFetch || options.fetch === globalThis.fetch;
}

function displayPath(url: string, root: string): string {
  return url.startsWith(root) ? url.slice(root.length) || '/' : redactUrl(url);
}

function mergeFetchOptions(
  client: ResolvedOptions['fetchOptions'],
  call: unknown,
): ResolvedOptions['fetchOptions'] {
  const own = checkFetchOptions('fetchOptions', call);
  if (own === undefined) return client;
  return client === undefined ? own : { ...client, ...own };
}
