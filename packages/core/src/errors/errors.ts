/**
 * The error classes of @plumb/core, grouped by who caused the failure:
 * the caller (ConfigError, PreflightError), the server (APIError and its subclasses), the network
 * (APIConnectionError, APITimeoutError), the user (APIUserAbortError), or a stream that broke off
 * (StreamInterruptedError). Every message says what to do next, and none ever contains the API key.
 */

import { isRetryableStatus } from '../internal/http/status-table.js';
import { redact } from '../internal/redact.js';
import { cutText } from '../streaming/text.js';
import { PlumbError } from './plumb-error.js';

export { PlumbError };

const ERROR_MARKER = Symbol.for('@plumb/core/error');
const API_ERROR_MARKER = Symbol.for('@plumb/core/api-error');

/** Base class of every error thrown by @plumb/core (a {@link PlumbError}, the root of all plumb errors). */
export class DeepSeekError extends PlumbError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    Object.defineProperty(this, ERROR_MARKER, { value: true });
  }

  /** True for any @plumb/core error, also one from another copy of the package. */
  static isInstance(value: unknown): value is DeepSeekError {
    return (
      typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[ERROR_MARKER] === true
    );
  }

  /** A safe, secret-free summary (used by `JSON.stringify(error)`). */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = { name: this.name, message: this.message };
    const cause = this.cause;
    // A cause comes from elsewhere (fetch, a socket): scrub anything key-shaped from it.
    if (cause instanceof Error) json.cause = { name: cause.name, message: redact(cause.message) };
    return json;
  }
}

/** True for any @plumb/core error (cross-realm and cross-copy safe). */
export function isDeepSeekError(value: unknown): value is DeepSeekError {
  return DeepSeekError.isInstance(value);
}

/** A client option is missing or invalid (for example no API key). Fix the option named by `field`. */
export class ConfigError extends DeepSeekError {
  /** The option at fault, e.g. `apiKey` or `maxRetries`. */
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), field: this.field };
  }
}

/**
 * A request that DeepSeek would reject with a 400, caught locally before sending.
 * Turn the checks off with `preflight: false` on the client or on one request.
 */
export class PreflightError extends DeepSeekError {
  /** Path of the offending field, e.g. `messages[3].tool_call_id` or `tools[0].function.name`. */
  readonly field: string;
  /** Short id of the rule that failed, e.g. `unanswered-tool-calls`. */
  readonly rule: string;

  constructor(rule: string, field: string, message: string) {
    super(message);
    this.rule = rule;
    this.field = field;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), rule: this.rule, field: this.field };
  }
}

/** What the HTTP layer knows when it builds an APIError. */
export interface APIErrorInit {
  /** HTTP status; undefined for an error object sent inside a 200 stream. */
  status: number | undefined;
  message: string;
  /** The server's own message text, unchanged apart from secret redaction. */
  serverMessage: string;
  type?: string | undefined;
  code?: string | undefined;
  param?: string | undefined;
  headers?: Headers | undefined;
  requestId?: string | undefined;
  /** The parsed error body, if it was JSON. */
  error?: unknown;
  cause?: unknown;
}

/** DeepSeek answered with an error. Subclasses name the status; check `status`, `type`, `code`. */
export class APIError extends DeepSeekError {
  readonly status: number | undefined;
  /** DeepSeek's error type: `invalid_request_error`, `authentication_error`, `rate_limit_error`, `unknown_error`, ... */
  readonly type: string | undefined;
  readonly code: string | undefined;
  readonly param: string | undefined;
  /** Response headers (never the request headers, which hold the API key). */
  readonly headers: Headers | undefined;
  /** DeepSeek's trace id (`x-ds-trace-id`); quote it when reporting a problem. */
  readonly requestId: string | undefined;
  /** The server's own message text. `message` adds context and what to do. */
  readonly serverMessage: string;
  /** The parsed error body, if it was JSON. */
  readonly error: unknown;

  constructor(init: APIErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    Object.defineProperty(this, API_ERROR_MARKER, { value: true });
    this.status = init.status;
    this.type = init.type;
    this.code = init.code;
    this.param = init.param;
    this.headers = init.headers;
    this.requestId = init.requestId;
    this.serverMessage = init.serverMessage;
    this.error = init.error;
  }

  /** True for any APIError (cross-realm and cross-copy safe). */
  static override isInstance(value: unknown): value is APIError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[API_ERROR_MARKER] === true
    );
  }

  /**
   * Whether the client retries this error by itself: 408, 409, 429 and 5xx, unless the server
   * sent `x-should-retry: false`; other statuses only with `x-should-retry: true`; never 402 nor
   * an error sent inside a stream (see `status-table.ts`, the one table messages also come from).
   */
  get isRetryable(): boolean {
    return isRetryableStatus(this.status, this.headers);
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      status: this.status,
      type: this.type,
      code: this.code,
      param: this.param,
      requestId: this.requestId,
    };
  }
}

/** 400: the request is invalid. Fix it; it is not retried. */
export class BadRequestError extends APIError {}

/** 401: the API key is wrong or missing. Check DEEPSEEK_API_KEY. */
export class AuthenticationError extends APIError {}

/** 402: the account balance is exhausted. Top up; it is not retried. */
export class InsufficientBalanceError extends APIError {}

/** 403: the key may not use this resource. Not retried. */
export class PermissionDeniedError extends APIError {}

/** 404: no such endpoint or resource (often a wrong baseURL). Not retried. */
export class NotFoundError extends APIError {}

/** 409: a conflict with the resource's current state. Retried with backoff (as openai-node does). */
export class ConflictError extends APIError {}

/** 422: invalid parameters (older DeepSeek deployments). Fix the request. */
export class UnprocessableEntityError extends APIError {}

/** 429: the account's concurrency cap was hit. Retried with backoff; lower your parallelism. */
export class RateLimitError extends APIError {}

/** 500 (and other 5xx except 503): a server error. Retried with backoff. */
export class InternalServerError extends APIError {}

/** 503: DeepSeek is overloaded. Retried with backoff. */
export class ServiceUnavailableError extends APIError {}

/** The request never got an HTTP answer (DNS, refused or reset connection). Retried. */
export class APIConnectionError extends DeepSeekError {}

/**
 * Which clock ran out: the per-attempt `timeout`, the stream `idleTimeout`, or the attempt's
 * `timeout` spent waiting for a `maxConcurrency` slot before anything was sent (`slot`, not retried).
 */
export type TimeoutKind = 'attempt' | 'idle' | 'slot';

/** A request took longer than `timeout` (per attempt) or a stream stalled for `idleTimeout`. */
export class APITimeoutError extends APIConnectionError {
  readonly kind: TimeoutKind;
  /** The limit that was exceeded, in milliseconds. */
  readonly timeoutMs: number;

  constructor(kind: TimeoutKind, timeoutMs: number, message: string) {
    super(message);
    this.kind = kind;
    this.timeoutMs = timeoutMs;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), kind: this.kind, timeoutMs: this.timeoutMs };
  }
}

/** The caller aborted the request (its `signal`, or `stream.abort()`). Never retried. */
export class APIUserAbortError extends DeepSeekError {
  constructor(
    message = 'The request was aborted by the caller (signal or stream.abort()).',
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

/** Which size limit an answer exceeded. */
export type SizeLimit = 'maxResponseBytes' | 'maxLineLength';

/**
 * An answer larger than the client reads: a body over `maxResponseBytes`, or a stream line over
 * `maxLineLength`. The connection is closed; it is not retried (the same request would get the
 * same answer). Raise the option named by `option` if such answers are expected.
 */
export class ResponseTooLargeError extends DeepSeekError {
  /** The option whose limit was exceeded. */
  readonly option: SizeLimit;
  /** The limit (bytes for `maxResponseBytes`, characters for `maxLineLength`). */
  readonly limit: number;

  constructor(option: SizeLimit, limit: number, message: string) {
    super(message);
    this.option = option;
    this.limit = limit;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), option: this.option, limit: this.limit };
  }
}

/** A 200 answer whose body is not what DeepSeek sends (not JSON, or not the expected shape). */
export class ResponseParseError extends DeepSeekError {
  /** The start of the offending text (at most 500 characters). */
  readonly body: string;

  constructor(message: string, body: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.body = body.length > 500 ? `${cutText(body, 500)}…` : body;
  }
}

/** Why a stream stopped before its finish_reason. */
export type StreamInterruptReason =
  | 'cut'
  | 'idle-timeout'
  | 'connection-error'
  | 'malformed-chunk'
  /** A line longer than `maxLineLength` (the cause is a ResponseTooLargeError). */
  | 'too-large';

/**
 * A stream that ended without a finish_reason (cut, stalled past `idleTimeout`, connection reset,
 * or an unreadable chunk). It is never retried automatically, because DeepSeek already billed the
 * tokens it sent. `partial` holds everything that arrived, assembled.
 */
export class StreamInterruptedError<TPartial = unknown> extends DeepSeekError {
  readonly reason: StreamInterruptReason;
  /** What arrived before the interruption, assembled (content, reasoning, tool calls so far). */
  readonly partial: TPartial;
  /** How many chunks arrived. */
  readonly chunks: number;
  readonly requestId: string | undefined;

  constructor(init: {
    reason: StreamInterruptReason;
    partial: TPartial;
    chunks: number;
    requestId: string | undefined;
    message: string;
    cause?: unknown;
  }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.reason = init.reason;
    this.partial = init.partial;
    this.chunks = init.chunks;
    this.requestId = init.requestId;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), reason: this.reason, chunks: this.chunks, requestId: this.requestId };
  }
}
