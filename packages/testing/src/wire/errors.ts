/**
 * DeepSeek's error envelope and the exact message texts it sends (see the API reference §9.3).
 * Texts marked "invented" below have no known real capture; they follow the OpenAI-compatible
 * wording DeepSeek uses elsewhere.
 */

/** An HTTP error answer: DeepSeek's JSON envelope unless `rawBody` is set. */
export class EmulatorHttpError extends Error {
  override readonly name = 'EmulatorHttpError';
  readonly status: number;
  readonly type: string;
  readonly headers: Record<string, string>;
  readonly rawBody: string | undefined;
  readonly contentType: string | undefined;

  constructor(
    status: number,
    message: string,
    type = 'invalid_request_error',
    extra: { headers?: Record<string, string>; rawBody?: string; contentType?: string } = {},
  ) {
    super(message);
    this.status = status;
    this.type = type;
    this.headers = extra.headers ?? {};
    this.rawBody = extra.rawBody;
    this.contentType = extra.contentType;
  }
}

/** `{"error":{"message","type","param":null,"code":"invalid_request_error"}}`: `code` never varies. */
export function errorEnvelope(message: string, type: string): string {
  return JSON.stringify({ error: { message, type, param: null, code: 'invalid_request_error' } });
}

/** A 400 `invalid_request_error` with the given text. */
export function badRequest(message: string): EmulatorHttpError {
  return new EmulatorHttpError(400, message);
}

/** The largest `max_tokens` DeepSeek accepts (384K), the top of its 400 range text. */
export const MAX_OUTPUT_TOKENS = 393_216;
/** DeepSeek's context window in tokens (1M), the default of `EmulatorOptions.contextWindow`. */
export const CONTEXT_WINDOW = 1_048_576;

/** DeepSeek's message texts, by situation. */
export const texts = {
  authHeaderFormat: 'Authentication Fails (auth header format should be Bearer sk-...)',
  invalidKey: (key: string) => `Authentication Fails, Your api key: ****${key.slice(-4)} is invalid`,
  noSuchUser: 'Authentication Fails (no such user)',
  insufficientBalance: 'Insufficient Balance',
  modelNotExist: 'Model Not Exist',
  contentRisk: 'Content Exists Risk',
  reasoningReplay: 'The `reasoning_content` in the thinking mode must be passed back to the API.',
  thinkingToolChoice: 'Thinking mode does not support this tool_choice',
  maxTokensRange: (max: number) => `Invalid max_tokens value, the valid range of max_tokens is [1, ${max}]`,
  responseFormatUnavailable: 'This response_format type is unavailable now',
  userIdPattern:
    "Invalid 'user_id': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.",
  toolMessageWithoutCall:
    "Messages with role 'tool' must be a response to a preceding message with 'tool_calls'",
  insufficientToolMessages:
    "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. (insufficient tool messages following tool_calls message)",
  concurrency: (current: number, limit: number) =>
    `Too many requests. Your current concurrency is ${current}, which exceeds your concurrency limit of ${limit} based on your remaining balance. Please top up your balance to restore your concurrency.`,
  contextLength: (window: number, input: number, completion: number) =>
    `This model's maximum context length is ${window} tokens. However, you requested ${input + completion} tokens (${input} in the messages, ${completion} in the completion). Please reduce the length of the messages or completion.`,
  // invented (OpenAI-compatible wording):
  stringTooLong: (field: string, max: number, length: number) =>
    `Invalid '${field}': string too long. Expected a string with maximum length ${max}, but got a string with length ${length} instead.`,
  arrayTooLong: (field: string, max: number, length: number) =>
    `Invalid '${field}': array too long. Expected an array with maximum length ${max}, but got an array with length ${length} instead.`,
  emptyArray: (field: string) =>
    `Invalid '${field}': empty array. Expected an array with minimum length 1, but got an empty array instead.`,
  patternMismatch: (field: string, pattern: string) =>
    `Invalid '${field}': string does not match pattern. Expected a string that matches the pattern '${pattern}'.`,
  streamOptionsWithoutStream: "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
  topLogprobsRange: 'Invalid top_logprobs value, the valid range of top_logprobs is [0, 20]',
  topLogprobsWithoutLogprobs:
    "Invalid 'top_logprobs': 'logprobs' must be set to true when 'top_logprobs' is used.",
  prefixOnlyBeta:
    'Chat prefix completion (`prefix: true`) is a beta feature: send the request to the beta base URL https://api.deepseek.com/beta.',
  prefixNotLast: 'Only the last message may set `prefix: true`, and it must be an assistant message.',
  fimOnlyBeta:
    'FIM completion is a beta feature: send it to `/beta/completions` (base URL https://api.deepseek.com/beta).',
  notFound: 'Not Found',
  methodNotAllowed: 'Method Not Allowed',
  serverError: 'Server Error: Our server encountered an issue. Please retry your request after a brief wait.',
  serverOverloaded:
    'Server Overloaded: The server is overloaded due to high traffic. Please retry your request after a brief wait.',
};

/** The openresty page DeepSeek's front end sends for a body over its 48 MiB limit. */
const OPENRESTY_413 =
  '<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>openresty</center>\r\n</body>\r\n</html>\r\n';

/** DeepSeek's error for a status, as sent when a fault only names the status. */
export function errorForStatus(
  status: number,
  concurrency: { current: number; limit: number },
): EmulatorHttpError {
  switch (status) {
    case 400:
      return new EmulatorHttpError(400, texts.contentRisk);
    case 401:
      return new EmulatorHttpError(401, texts.noSuchUser, 'authentication_error');
    case 402:
      return new EmulatorHttpError(402, texts.insufficientBalance, 'unknown_error');
    case 413:
      return new EmulatorHttpError(413, '413 Request Entity Too Large', 'invalid_request_error', {
        rawBody: OPENRESTY_413,
        contentType: 'text/html',
        headers: { server: 'openresty' },
      });
    case 422:
      return new EmulatorHttpError(
        422,
        'Failed to deserialize the JSON body into the target type: messages[1]: invalid type: sequence, expected a string at line 1 column 80',
      );
    case 429:
      return new EmulatorHttpError(
        429,
        texts.concurrency(concurrency.current, concurrency.limit),
        'rate_limit_error',
      );
    case 500:
      return new EmulatorHttpError(500, texts.serverError, 'unknown_error');
    case 503:
      return new EmulatorHttpError(503, texts.serverOverloaded, 'unknown_error');
    default:
      return new EmulatorHttpError(
        status,
        `HTTP ${status}`,
        status >= 500 ? 'unknown_error' : 'invalid_request_error',
      );
  }
}
