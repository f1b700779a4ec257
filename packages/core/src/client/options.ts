/** Client and per-request options, their defaults and their validation. */

import { ConfigError } from '../errors/errors.js';
import { INITIAL_RETRY_DELAY_MS } from '../internal/http/retry.js';
import type { FetchOptions } from '../internal/http/transport.js';
import {
  checkRetries as checkSharedRetries,
  checkSignal as checkSharedSignal,
} from '../internal/option-checks.js';
import { cutText } from '../streaming/text.js';
import type { CallTelemetry } from '../telemetry/chat-span.js';
import { Telemetry, type TelemetryOptions } from '../telemetry/telemetry.js';
import {
  checkClientOptions,
  checkHeaderValue,
  checkModelList,
  checkSize,
  configFailure,
  configuredSecrets,
  describeValue,
} from './check-options.js';
import { isLogLevel, type Logger, type LogLevel } from './logger.js';

/** Options of `new DeepSeek(options)`. */
export interface ClientOptions {
  /**
   * Your DeepSeek API key (surrounding whitespace is trimmed). Without one, the first call fails
   * with a ConfigError on `apiKey` before anything is sent. @default process.env.DEEPSEEK_API_KEY
   */
  apiKey?: string | undefined;
  /** @default process.env.DEEPSEEK_BASE_URL ?? 'https://api.deepseek.com' */
  baseURL?: string | undefined;
  /** Where beta features go (FIM, prefix completion, strict tools). @default `${baseURL}/beta` */
  betaBaseURL?: string | undefined;
  /**
   * Limit for one attempt, in milliseconds: up to the whole body for a non-streamed call, up to
   * the first chunk for a stream (queueing at DeepSeek included). @default 600_000
   */
  timeout?: number | undefined;
  /** A stream that sends nothing for this long after it started fails, in milliseconds. @default 300_000 */
  idleTimeout?: number | undefined;
  /** Retries after the first attempt (429, 5xx, connection errors, timeouts). @default 2 */
  maxRetries?: number | undefined;
  /**
   * FOR TESTS: the backoff before the first retry when DeepSeek sends no `retry-after`, in
   * milliseconds; it doubles per retry up to 16 times this, minus up to 25% jitter. Set it to 1 in
   * tests so that retried connection errors and timeouts do not wait; keep the default against
   * the real API. @default 500 (0.5 s doubling to 8 s)
   */
  initialRetryDelayMs?: number | undefined;
  /**
   * The fetch to use (a proxy-aware one, a test double); given, every request goes through it.
   * @default on Node, node:http through Node's global agents; elsewhere (Bun, Deno, Workers,
   * browsers) globalThis.fetch. See docs/guides/client.md#transport.
   */
  fetch?: typeof fetch | undefined;
  /** A pino logger (or any object with debug/info/warn/error). @default silent, or PLUMB_LOG=debug|info|warn */
  logger?: Logger | undefined;
  /**
   * The level of the stderr logger plumb creates (needs the optional peer `pino`); overrides
   * PLUMB_LOG, and `'silent'` turns PLUMB_LOG off. Ignored when `logger` is given.
   * @default process.env.PLUMB_LOG, else silent
   */
  logLevel?: LogLevel | undefined;
  /** Headers sent with every request. */
  defaultHeaders?: Record<string, string> | undefined;
  /** Query parameters added to every request URL (a gateway's `api-version`, say). */
  defaultQuery?: Record<string, string | undefined> | undefined;
  /**
   * Passed to every `fetch` call as init, e.g. `{ dispatcher: new ProxyAgent(url) }` (undici) for a
   * proxy. The client's own method, headers, body, signal and `redirect: 'error'` win over it.
   */
  fetchOptions?: FetchOptions | undefined;
  /** Local checks that catch requests DeepSeek would reject with a 400. @default true */
  preflight?: boolean | undefined;
  /**
   * At most this many requests of this client in flight at once; the others wait in FIFO order.
   * DeepSeek's 429 is a cap on an account's in-flight requests (2500 Flash, 500 Pro, lower on a
   * low balance), so share one client between agents and set this at or under the cap. A request
   * holds its slot from send until its body was read or its stream ended (read to the end,
   * failed, aborted, or the loop broke out); a retry gives it back during its backoff. The wait is
   * reported as `timing.slotWaitMs` and ends early when the request's `signal` aborts. A client
   * made by `withOptions` shares the limit unless it changes `maxConcurrency`, `apiKey` or
   * `baseURL`. @default undefined (no limit)
   */
  maxConcurrency?: number | undefined;
  /**
   * OpenTelemetry spans (`chat {model}`, GenAI semantic conventions) and metrics for every chat
   * request: `true` uses OpenTelemetry's global providers, or pass `{ tracer, meter,
   * recordContent, secrets }`. Needs the optional peer `@opentelemetry/api`, loaded only when on.
   * Content is not recorded unless `recordContent: true`. @default false
   */
  telemetry?: TelemetryOptions | undefined;
  /**
   * Largest answer read whole, in bytes: a non-streamed body or an error body. A bigger one fails
   * with ResponseTooLargeError instead of filling memory. The biggest real answer (393,216 output
   * tokens) is under 10 MB; with `top_logprobs: 20` each token takes about 1.3 KB, so raise this
   * for very long logprobs answers. @default 67_108_864 (64 MiB)
   */
  maxResponseBytes?: number | undefined;
  /**
   * Longest line (or event) of a stream, in characters. DeepSeek sends one chunk of a few hundred
   * bytes per line (about 1.5 KB with 20 top_logprobs); a longer line fails with
   * ResponseTooLargeError instead of being buffered without end. Streams have no total cap: their
   * size is bounded by max_tokens and by `idleTimeout`. @default 4_194_304 (4 Mi characters)
   */
  maxLineLength?: number | undefined;
  /**
   * Model ids to accept besides the ones plumb knows ('deepseek-flash', 'deepseek-v4-pro' and the
   * legacy 'deepseek-v4-flash'). Unknown and retired ids ('deepseek-chat', 'deepseek-reasoner')
   * fail before any request with a PreflightError naming the current models; list a model here
   * when DeepSeek ships one newer than your plumb version. @default []
   */
  extraModels?: readonly string[] | undefined;
}

/** Per-call options; each overrides the client's setting for this call. */
export interface RequestOptions {
  /** Aborts the call, including a retry wait and a running stream. */
  signal?: AbortSignal | undefined;
  /** Per-attempt limit in milliseconds (see ClientOptions.timeout). */
  timeout?: number | undefined;
  /** Stream idle limit in milliseconds. */
  idleTimeout?: number | undefined;
  maxRetries?: number | undefined;
  /** Extra headers for this call. */
  headers?: Record<string, string> | undefined;
  /** Set false to skip the pre-flight checks for this call. */
  preflight?: boolean | undefined;
  /** `fetch` init for this call, merged over the client's `fetchOptions`. */
  fetchOptions?: FetchOptions | undefined;
  /** Telemetry of this call: another `Telemetry` (an agent's), the parent span context, more attributes. */
  telemetry?: CallTelemetry | undefined;
}

const DEFAULT_BASE_URL = 'https://api.deepseek.com';
const DEFAULT_TIMEOUT_MS = 600_000;
const DEFAULT_IDLE_TIMEOUT_MS = 300_000;
const DEFAULT_MAX_RETRIES = 2;
/** 64 MiB: see ClientOptions.maxResponseBytes. */
const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
/** 4 Mi characters: see ClientOptions.maxLineLength. */
const DEFAULT_MAX_LINE_LENGTH = 4 * 1024 * 1024;

function env(name: string): string | undefined {
  if (typeof process === 'undefined') return undefined;
  const value = process.env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** The `signal` request option: an AbortSignal (from any realm: checked by shape), or undefined. */
export function checkSignal(value: unknown): AbortSignal | undefined {
  return checkSharedSignal(value, configFailure);
}

/** Checks a duration option (milliseconds, > 0). */
export function checkDuration(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new ConfigError(
      name,
      `Expected \`${name}\` to be a positive number of milliseconds, got ${describeValue(value)}.`,
    );
  }
  return value;
}

function checkDelay(value: number | undefined): number {
  if (value === undefined) return INITIAL_RETRY_DELAY_MS;
  if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) {
    throw new ConfigError(
      'initialRetryDelayMs',
      `Expected \`initialRetryDelayMs\` to be a number of milliseconds >= 0 (default 500), got ${describeValue(value)}.`,
    );
  }
  return value;
}

function checkConcurrency(value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ConfigError(
      'maxConcurrency',
      `Expected \`maxConcurrency\` to be a positive integer (e.g. 500, DeepSeek's in-flight cap for Pro), or undefined for no limit; got ${describeValue(value)}.`,
    );
  }
  return value;
}

/** Visible ASCII only: what an HTTP header can carry, and what DeepSeek keys (`sk-...`) are made of. */
const HEADER_SAFE = /^[\x21-\x7e]+$/;

/** The key, trimmed (a key read from a file often ends in a line break); undefined when empty. */
function checkApiKey(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ConfigError('apiKey', 'Expected `apiKey` to be a string.');
  const key = value.trim();
  if (key === '') return undefined;
  if (!HEADER_SAFE.test(key)) {
    // Never quote the key itself.
    throw new ConfigError(
      'apiKey',
      'The API key (the `apiKey` option or DEEPSEEK_API_KEY) contains spaces, line breaks or non-ASCII characters, ' +
        'which an HTTP header cannot carry (often a quote or text pasted with it). Copy the key again from https://platform.deepseek.com/api_keys.',
    );
  }
  return key;
}

/** Checks `maxRetries` (a non-negative integer). */
export function checkRetries(value: number | undefined, fallback: number): number {
  return checkSharedRetries(value, fallback, configFailure);
}

/** An absolute http(s) URL; never quoted back whole (it may carry a password or a token). */
function checkUrl(name: string, value: unknown, customFetch: boolean): string {
  if (typeof value !== 'string') {
    throw new ConfigError(
      name,
      `Expected \`${name}\` to be a URL string such as https://api.deepseek.com, got ${describeValue(value)}.`,
    );
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(
      name,
      `Expected \`${name}\` to be an absolute URL such as https://api.deepseek.com; the value given (${value.length} characters) is not a URL.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(
      name,
      `Expected \`${name}\` to be an http:// or https:// URL such as https://api.deepseek.com, got a ${cutText(url.protocol, 20)} URL.`,
    );
  }
  if ((url.username !== '' || url.password !== '') && !customFetch) {
    // fetch refuses such URLs, and its error would quote the password.
    throw new ConfigError(
      name,
      `\`${name}\` contains a user name or password (user:password@host), which fetch refuses to send. ` +
        "Put the credentials in a header instead, e.g. defaultHeaders: { 'proxy-authorization': 'Basic ...' }.",
    );
  }
  return value.replace(/\/+$/, '');
}

/** Lower-cased header names, so a caller's `Authorization` replaces ours instead of doubling it. */
export function normalizeHeaders(
  headers: Record<string, string> | undefined,
  name: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers === undefined) return out;
  if (typeof headers !== 'object' || headers === null) {
    throw new ConfigError(name, `Expected \`${name}\` to be an object of header names to strings.`);
  }
  for (const key of Object.keys(headers)) {
    const value = headers[key];
    if (value === undefined) continue;
    checkHeaderValue(name, key, value);
    out[key.toLowerCase()] = value;
  }
  return out;
}

/** Every client setting, resolved. */
export interface ResolvedOptions {
  apiKey: string | undefined;
  baseURL: string;
  betaBaseURL: string;
  timeout: number;
  idleTimeout: number;
  maxRetries: number;
  initialRetryDelayMs: number;
  fetch: typeof fetch;
  /** True when no `fetch` option was given (the runtime's own fetch is used). */
  defaultFetch: boolean;
  logger: Logger | undefined;
  logLevel: LogLevel | undefined;
  defaultHeaders: Record<string, string>;
  /** `?a=b` (or '') for every URL. */
  defaultQuery: string;
  fetchOptions: FetchOptions | undefined;
  preflight: boolean;
  maxConcurrency: number | undefined;
  telemetry: Telemetry | undefined;
  maxResponseBytes: number;
  maxLineLength: number;
  extraModels: readonly string[];
  /** The API key and every configured secret (base URL credentials, credential headers), to redact. */
  secrets: readonly string[];
}

/** Applies defaults and environment variables, and validates (throws ConfigError naming the option). */
export function resolveOptions(options: ClientOptions): ResolvedOptions {
  checkClientOptions(options);
  const apiKey = checkApiKey(options.apiKey ?? env('DEEPSEEK_API_KEY'));
  const customFetch = options.fetch !== undefined;
  const baseURL = checkUrl(
    'baseURL',
    options.baseURL ?? env('DEEPSEEK_BASE_URL') ?? DEFAULT_BASE_URL,
    customFetch,
  );
  // An OpenAI-style base URL ending in /v1 still has its beta features under /beta.
  const betaBaseURL = checkUrl(
    'betaBaseURL',
    options.betaBaseURL ?? `${baseURL.replace(/\/v1$/, '')}/beta`,
    customFetch,
  );
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    throw new ConfigError(
      'fetch',
      `Expected \`fetch\` to be a function like globalThis.fetch, got ${typeof options.fetch}.`,
    );
  }
  const fetchFn = options.fetch ?? globalThis.fetch?.bind(globalThis);
  if (typeof fetchFn !== 'function') {
    throw new ConfigError('fetch', 'No fetch implementation: pass `fetch` (Node 20+ has a global fetch).');
  }
  if (options.preflight !== undefined && typeof options.preflight !== 'boolean') {
    throw new ConfigError('preflight', 'Expected `preflight` to be true or false.');
  }
  return {
    apiKey,
    baseURL,
    betaBaseURL,
    timeout: checkDuration('timeout', options.timeout, DEFAULT_TIMEOUT_MS),
    idleTimeout: checkDuration('idleTimeout', options.idleTimeout, DEFAULT_IDLE_TIMEOUT_MS),
    maxRetries: checkRetries(options.maxRetries, DEFAULT_MAX_RETRIES),
    initialRetryDelayMs: checkDelay(options.initialRetryDelayMs),
    fetch: fetchFn,
    defaultFetch: options.fetch === undefined,
    logger: options.logger,
    logLevel: checkLogLevel(options.logLevel),
    defaultHeaders: normalizeHeaders(options.defaultHeaders, 'defaultHeaders'),
    defaultQuery: checkQuery(options.defaultQuery),
    fetchOptions: checkFetchOptions('fetchOptions', options.fetchOptions),
    preflight: options.preflight ?? true,
    maxConcurrency: checkConcurrency(options.maxConcurrency),
    telemetry: Telemetry.from(options.telemetry),
    maxResponseBytes: checkSize('maxResponseBytes', options.maxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES),
    maxLineLength: checkSize('maxLineLength', options.maxLineLength, DEFAULT_MAX_LINE_LENGTH),
    extraModels: checkModelList(options.extraModels),
    secrets: configuredSecrets(apiKey, baseURL, betaBaseURL, options.defaultHeaders),
  };
}

function checkLogLevel(value: unknown): LogLevel | undefined {
  if (value === undefined) return undefined;
  if (!isLogLevel(value)) {
    throw new ConfigError(
      'logLevel',
      `Expected \`logLevel\` to be one of 'trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'; got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

function checkQuery(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(
      'defaultQuery',
      'Expected `defaultQuery` to be an object of query parameter names to strings.',
    );
  }
  const params = new URLSearchParams();
  for (const [key, item] of Object.entries(value)) if (item !== undefined) params.append(key, String(item));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Checks a `fetchOptions` object (client or per call). */
export function checkFetchOptions(name: string, value: unknown): FetchOptions | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(
      name,
      `Expected \`${name}\` to be an object of fetch init options, e.g. { dispatcher }.`,
    );
  }
  return value as FetchOptions;
}
