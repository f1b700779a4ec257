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
  ConflictError,
  InsufficientBalanceError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServiceUnavailableError,
  UnprocessableEntityError,
} from '../../errors/errors.js';
import { redact } from '../redact.js';
import { retrySentence, ruleFor, type StatusRule } from './status-table.js';

/** What is known about the failed request. */
export interface ErrorContext {
  method: string;
  path: string;
  /** The API key and other configured secrets, to scrub from any text the server echoes. */
  secrets: readonly string[];
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

const CLASSES: Record<StatusRule['errorClass'], typeof APIError> = {
  APIError,
  BadRequestError,
  AuthenticationError,
  InsufficientBalanceError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
  ServiceUnavailableError,
};

/** The class and message of an error answer, from the status table (status-table.ts). */
function describe(
  status: number | undefined,
  message: string,
  headers: Headers | undefined,
): [typeof APIError, string] {
  if (status === undefined) {
    return [
      APIError,
      `DeepSeek sent an error inside the stream: ${message}. ${retrySentence(status, headers)}`,
    ];
  }
  const rule = ruleFor(status);
  const quoted = status === 429 ? `"${message}"` : message;
  const hint = status === 400 ? HINTS_400.find(([pattern]) => pattern.test(message))?.[1] : undefined;
  const advice = [hint, rule.advice, retrySentence(status, headers)].filter(Boolean).join(' ');
  return [CLASSES[rule.errorClass], `${rule.lead} (${status}): ${quoted}. ${advice}`];
}

/** Builds the APIError subclass for an error answer (or an error object inside a stream). */
export function makeAPIError(
  status: number | undefined,
  body: string | ParsedBody,
  headers: Headers | undefined,
  context: ErrorContext,
): APIError {
  const parsed = typeof body === 'string' ? parseErrorBody(body) : body;
  const secrets = context.secrets;
  const serverMessage = redact(parsed.message, secrets);
  const requestId = headers?.get('x-ds-trace-id') ?? headers?.get('x-request-id') ?? undefined;
  const [ErrorClass, text] = describe(status, serverMessage.replace(/[.\s]+$/, ''), headers);
  const where = `${context.method} ${context.path}${requestId ? `, request id ${requestId}` : ''}`;
  const init: APIErrorInit = {
    status,
    message: `${text} (${where})`,
    serverMessage,
    type: parsed.type,
    code: parsed.code,
    param: parsed.param === undefined ? undefined : redact(parsed.param, secrets),
    headers,
    requestId,
    error: redactObject(parsed.error, secrets),
  };
  return new ErrorClass(init);
}

function redactObject(value: unknown, secrets: readonly string[]): unknown {
  if (value === undefined || value === null) return value;
  const json = JSON.stringify(value);
  const clean = redact(json, secrets);
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
