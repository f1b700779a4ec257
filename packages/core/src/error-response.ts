/**
 * Turning a DeepSeek error answer into the right APIError subclass with a message that says what
 * to do. The body is parsed whatever its Content-Type (DeepSeek sometimes labels JSON errors
 * `application/octet-stream`), and the front end's HTML pages (413) are reduced to their title.
 */
import {
  APIError,
  type APIErrorInit,
  AuthenticationError,
  BadRequestError,
  InsufficientBalanceError,
  InternalServerError,
  RateLimitError,
  ServiceUnavailableError,
  UnprocessableEntityError,
} from './errors.js';
import { redact } from './redact.js';

/** What is known about the failed request. */
export interface ErrorContext {
  method: string;
  path: string;
  /** The API key, to scrub from any text the server echoes. */
  secret: string | undefined;
}

interface ParsedBody {
  message: string;
  type?: string | undefined;
  code?: string | undefined;
  param?: string | undefined;
  error?: unknown;
}

const HINTS_400: Array<[RegExp, string]> = [
  [
    /reasoning_content|content\[\]\.thinking/,
    'In thinking mode with tools, send every earlier assistant message back with its reasoning_content ("" if you have none).',
  ],
  [
    /tool_choice/,
    "Thinking mode only supports tool_choice 'auto' or 'none'; send thinking: { type: 'disabled' } to force a tool.",
  ],
  [
    /Model Not Exist|model name|not supported model/i,
    "Use a current model id, 'deepseek-flash' or 'deepseek-v4-pro' (client.models.list() lists them).",
  ],
  [
    /maximum context length/,
    'Shorten the conversation or lower max_tokens: input plus max_tokens must fit the context window.',
  ],
  [
    /Content Exists Risk/,
    "DeepSeek's content-safety check rejected the input; rephrase or remove the flagged content.",
  ],
  [/max_tokens/, 'Use max_tokens from 1 to 393216.'],
  [/`developer`/, "Use role 'system' instead of 'developer'."],
  [/user_id/, 'user_id must match ^[a-zA-Z0-9_-]+$ (at most 512 characters).'],
  [
    /response_format/,
    "Use response_format { type: 'json_object' } (json_schema is not supported on chat completions).",
  ],
];

function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function htmlTitle(text: string): string | undefined {
  const match = /<title>([^<]*)<\/title>/i.exec(text) ?? /<h1>([^<]*)<\/h1>/i.exec(text);
  return match?.[1]?.trim() || undefined;
}

/** Extracts message/type/code/param from an error body of any shape. */
export function parseErrorBody(text: string): ParsedBody {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const json = JSON.parse(trimmed) as Record<string, unknown>;
      const inner = json.error;
      if (inner && typeof inner === 'object') {
        const error = inner as Record<string, unknown>;
        return {
          message: asString(error.message) ?? JSON.stringify(error),
          type: asString(error.type),
          code: asString(error.code) ?? (typeof error.code === 'number' ? String(error.code) : undefined),
          param: asString(error.param),
          error: inner,
        };
      }
      const message = asString(inner) ?? asString(json.detail) ?? asString(json.message);
      return { message: message ?? trimmed.slice(0, 300), error: json };
    } catch {
      // Not JSON after all: fall through to text handling.
    }
  }
  if (trimmed.startsWith('<')) return { message: htmlTitle(trimmed) ?? 'HTML error page' };
  if (trimmed.length === 0) return { message: 'no error body' };
  return { message: trimmed.length > 300 ? `${trimmed.slice(0, 300)}…` : trimmed };
}

function describe(status: number | undefined, message: string): [typeof APIError, string] {
  switch (status) {
    case undefined:
      return [APIError, `DeepSeek sent an error inside the stream: ${message}.`];
    case 400: {
      const hint = HINTS_400.find(([pattern]) => pattern.test(message))?.[1];
      return [
        BadRequestError,
        `DeepSeek rejected the request (400): ${message}. ${hint ? `${hint} ` : ''}Fix the request; it is not retried.`,
      ];
    }
    case 401:
      return [
        AuthenticationError,
        `DeepSeek did not accept the API key (401): ${message}. Check DEEPSEEK_API_KEY (or the apiKey option): it must be a current key from https://platform.deepseek.com/api_keys.`,
      ];
    case 402:
      return [
        InsufficientBalanceError,
        `Your DeepSeek balance is used up (402): ${message}. Top up your balance at https://platform.deepseek.com/top_up; the request is not retried.`,
      ];
    case 413:
      return [
        APIError,
        `The request is too large for DeepSeek (413): ${message}. The body may be at most 48 MiB: send fewer or smaller images, or shorter messages.`,
      ];
    case 422:
      return [
        UnprocessableEntityError,
        `DeepSeek could not read the request parameters (422): ${message}. Fix the request body; it is not retried.`,
      ];
    case 429:
      return [
        RateLimitError,
        `DeepSeek's concurrency limit was reached (429): "${message}". The limit counts in-flight requests per account ` +
          '(all keys together) and shrinks when the balance is low: lower your parallelism (fewer concurrent requests or agents) ' +
          'or top up. Retried automatically with backoff (see maxRetries).',
      ];
    case 503:
      return [
        ServiceUnavailableError,
        `DeepSeek is overloaded (503): ${message}. Retried automatically with backoff (see maxRetries); if it persists, try again later.`,
      ];
    default:
      if (status >= 500) {
        return [
          InternalServerError,
          `DeepSeek had a server error (${status}): ${message}. Retried automatically (see maxRetries); if it persists, try again later.`,
        ];
      }
      if (status === 404)
        return [
          APIError,
          `DeepSeek has no such endpoint (404): ${message}. Check baseURL / betaBaseURL and the path.`,
        ];
      return [APIError, `DeepSeek answered ${status}: ${message}.`];
  }
}

/** Builds the APIError subclass for an error answer (or an error object inside a stream). */
export function makeAPIError(
  status: number | undefined,
  body: string | ParsedBody,
  headers: Headers | undefined,
  context: ErrorContext,
): APIError {
  const parsed = typeof body === 'string' ? parseErrorBody(body) : body;
  const serverMessage = redact(parsed.message, context.secret);
  const requestId = headers?.get('x-ds-trace-id') ?? headers?.get('x-request-id') ?? undefined;
  const [ErrorClass, text] = describe(status, serverMessage.replace(/[.\s]+$/, ''));
  const where = `${context.method} ${context.path}${requestId ? `, request id ${requestId}` : ''}`;
  const init: APIErrorInit = {
    status,
    message: `${text} (${where})`,
    serverMessage,
    type: parsed.type,
    code: parsed.code,
    param: parsed.param,
    headers,
    requestId,
    error: redactObject(parsed.error, context.secret),
  };
  return new ErrorClass(init);
}

function redactObject(value: unknown, secret: string | undefined): unknown {
  if (value === undefined || value === null) return value;
  const json = JSON.stringify(value);
  const clean = redact(json, secret);
  return clean === json ? value : JSON.parse(clean);
}

/** Reads an in-stream `{"error": {...}}` payload into the body shape `makeAPIError` takes. */
export function parsedFromErrorObject(error: unknown): ParsedBody {
  if (error && typeof error === 'object') {
    const record = error as Record<string, unknown>;
    return {
      message: asString(record.message) ?? JSON.stringify(error),
      type: asString(record.type),
      code: asString(record.code),
      param: asString(record.param),
      error,
    };
  }
  return { message: String(error), error };
}
