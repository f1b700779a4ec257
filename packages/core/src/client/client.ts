/** The DeepSeek client. */

import { ConfigError } from '../errors/errors.js';
import type { ConcurrencyLimiter } from '../internal/http/concurrency.js';
import { type BaseKind, HttpClient } from '../internal/http/http-client.js';
import { redact, redactUrl } from '../internal/redact.js';
import { Chat } from '../resources/chat.js';
import { Completions } from '../resources/completions.js';
import { Files } from '../resources/files.js';
import { Models } from '../resources/models.js';
import { User } from '../resources/user.js';
import { Web } from '../resources/web.js';
import type { Telemetry } from '../telemetry/telemetry.js';
import { APIPromise } from './api-promise.js';
import type { Logger } from './logger.js';
import { type ClientOptions, type RequestOptions, type ResolvedOptions, resolveOptions } from './options.js';

/** A call to any endpoint through `client.request` (same retries, errors, logging and timing). */
export interface RawRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path under the base URL, starting with `/`, e.g. `/files`. */
  path: string;
  /** Sent as JSON (a string is sent as is). */
  body?: unknown;
  /** Use the beta base URL. @default false */
  beta?: boolean | undefined;
  /** Query parameters; undefined values are left out. */
  query?: Record<string, string | number | boolean | undefined> | undefined;
}

/** Set by `withOptions` around the constructor call: the client whose limit the new one may share. */
let parentHttp: HttpClient | undefined;

/** The parent's limiter, when the new client has the same limit on the same account and server. */
function sharedLimiter(
  parent: HttpClient | undefined,
  options: ResolvedOptions,
): ConcurrencyLimiter | undefined {
  const own = parent?.options;
  if (own === undefined || own.maxConcurrency !== options.maxConcurrency) return undefined;
  if (own.apiKey !== options.apiKey || own.baseURL !== options.baseURL) return undefined;
  return parent!.limiter;
}

/**
 * The DeepSeek API client: typed, streaming, retrying, DeepSeek-correct.
 *
 * @example
 * import { DeepSeek } from '@plumb/core';
 * const client = new DeepSeek(); // reads DEEPSEEK_API_KEY
 * const completion = await client.chat.completions.create({
 *   model: 'deepseek-flash',
 *   messages: [{ role: 'user', content: 'Hello' }],
 * });
 */
export class DeepSeek {
  /** Chat completions: `client.chat.completions.create()` / `.stream()`. */
  readonly chat: Chat;
  /** FIM completions on the beta base URL: `client.completions.create()` / `.stream()`. */
  readonly completions: Completions;
  /** `client.models.list()`. */
  readonly models: Models;
  /** `client.user.balance()`. */
  readonly user: User;
  /** DeepSeek's Search and Fetch APIs: `client.web.search()` / `.fetch()`. */
  readonly web: Web;
  /** The Files API (images): `client.files.create()` / `.list()` / `.retrieve()` / `.delete()`. */
  readonly files: Files;
  readonly #options: ClientOptions;
  readonly #http: HttpClient;

  constructor(options: ClientOptions = {}) {
    const parent = parentHttp;
    parentHttp = undefined;
    this.#options = { ...options };
    const resolved = resolveOptions(options);
    this.#http = new HttpClient(resolved, sharedLimiter(parent, resolved));
    this.chat = new Chat(this.#http);
    this.completions = new Completions(this.#http);
    this.models = new Models(this.#http);
    this.user = new User(this.#http);
    this.web = new Web(this.#http);
    this.files = new Files(this.#http);
  }

  /** The base URL of regular endpoints (a user name or password in it shows as `****`). */
  get baseURL(): string {
    return redactUrl(this.#http.options.baseURL);
  }

  /** The base URL of beta features (FIM, prefix completion, strict tools). */
  get betaBaseURL(): string {
    return redactUrl(this.#http.options.betaBaseURL);
  }

  /** Per-attempt timeout in milliseconds. */
  get timeout(): number {
    return this.#http.options.timeout;
  }

  /** Stream idle timeout in milliseconds. */
  get idleTimeout(): number {
    return this.#http.options.idleTimeout;
  }

  get maxRetries(): number {
    return this.#http.options.maxRetries;
  }

  /** The `maxConcurrency` limit, or undefined for none. */
  get maxConcurrency(): number | undefined {
    return this.#http.options.maxConcurrency;
  }

  /**
   * Requests of this client (and of the clients sharing its limit) holding a `maxConcurrency`
   * slot now: sent and not yet complete. Always 0 when `maxConcurrency` is not set (nothing is counted).
   */
  get inFlight(): number {
    return this.#http.limiter?.active ?? 0;
  }

  /** Requests waiting for a free `maxConcurrency` slot; always 0 when the option is not set. */
  get queued(): number {
    return this.#http.limiter?.waiting ?? 0;
  }

  /** The resolved `telemetry` option, or undefined when it is off. */
  get telemetry(): Telemetry | undefined {
    return this.#http.options.telemetry;
  }

  /**
   * `text` with this client's API key, anything shaped like a key (`sk-...`, `Bearer ...`) and the
   * configured secrets masked: what telemetry and recorders apply to content they keep.
   */
  redact(text: string): string {
    return redact(text, this.#http.options.apiKey);
  }

  /** The logger in use (silent unless configured). */
  get logger(): Logger {
    return this.#http.logger;
  }

  /**
   * A new client with some options changed (the API key is carried over unless replaced). It shares
   * this client's `maxConcurrency` limit (one pool of slots) unless it changes `maxConcurrency`,
   * `apiKey` or `baseURL`.
   */
  withOptions(options: ClientOptions): DeepSeek {
    parentHttp = this.#http;
    try {
      return new DeepSeek({ ...this.#options, ...options });
    } finally {
      parentHttp = undefined;
    }
  }

  /**
   * Calls any endpoint (for example one this client has no method for yet), with the same
   * retries, errors, logging and timing as the typed methods.
   *
   * @example
   * const files = await client.request<{ data: unknown[] }>({ method: 'GET', path: '/files' });
   */
  request<T = unknown>(request: RawRequest, options?: RequestOptions): APIPromise<T> {
    return new APIPromise(
      (async () => {
        const path = request?.path;
        if (typeof path !== 'string' || !path.startsWith('/')) {
          throw new ConfigError('path', "client.request needs a `path` that starts with '/', e.g. '/files'.");
        }
        const base: BaseKind = request.beta ? 'beta' : 'api';
        return this.#http.json<T>(
          { method: request.method, base, path: path + queryString(request.query), body: request.body },
          options,
        );
      })(),
    );
  }
}

function queryString(query: RawRequest['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined) params.append(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}
