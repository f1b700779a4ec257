/**
 * The one table of HTTP error statuses: which APIError subclass each becomes, whether the client
 * retries it, and what its message tells the user to do. `APIError.isRetryable`, the retry policy
 * and the "retried automatically" hints all read it, so they cannot disagree.
 *
 * The retry rules are openai-node's (408, 409, 429 and 5xx are retried; `x-should-retry: true` or
 * `false` from the server overrides the status), with DeepSeek's own: 402 (balance used up) is
 * never retried whatever the server says, and 429 is DeepSeek's per-account concurrency cap.
 */

/** What plumb does with one status. */
export interface StatusRule {
  /** The name of the APIError subclass (error-response.ts maps it to the class). */
  errorClass:
    | 'APIError'
    | 'BadRequestError'
    | 'AuthenticationError'
    | 'InsufficientBalanceError'
    | 'PermissionDeniedError'
    | 'NotFoundError'
    | 'ConflictError'
    | 'UnprocessableEntityError'
    | 'RateLimitError'
    | 'InternalServerError'
    | 'ServiceUnavailableError';
  /** How the message starts, before `(status): server text`. */
  lead: string;
  /** Retried when the server sends no `x-should-retry`. */
  retry: boolean;
  /** What to do, for the message; the retry sentence is added from `retry`. */
  advice: string;
}

const RULES: Record<number, StatusRule> = {
  400: {
    errorClass: 'BadRequestError',
    lead: 'DeepSeek rejected the request',
    retry: false,
    advice: 'Fix the request.',
  },
  401: {
    errorClass: 'AuthenticationError',
    lead: 'DeepSeek did not accept the API key',
    retry: false,
    advice:
      'Check DEEPSEEK_API_KEY (or the apiKey option): it must be a current key from https://platform.deepseek.com/api_keys.',
  },
  402: {
    errorClass: 'InsufficientBalanceError',
    lead: 'Your DeepSeek balance is used up',
    retry: false,
    advice: 'Top up your balance at https://platform.deepseek.com/top_up.',
  },
  403: {
    errorClass: 'PermissionDeniedError',
    lead: 'DeepSeek refused access',
    retry: false,
    advice: 'This key may not use this resource; check the key and the endpoint.',
  },
  404: {
    errorClass: 'NotFoundError',
    lead: 'DeepSeek has no such endpoint',
    retry: false,
    advice: 'Check baseURL / betaBaseURL and the path.',
  },
  408: {
    errorClass: 'APIError',
    lead: 'DeepSeek timed out waiting for the request',
    retry: true,
    advice: 'The server gave up waiting for the request.',
  },
  409: {
    errorClass: 'ConflictError',
    lead: 'DeepSeek reported a conflict',
    retry: true,
    advice: 'The request conflicts with the current state of the resource.',
  },
  413: {
    errorClass: 'APIError',
    lead: 'The request is too large for DeepSeek',
    retry: false,
    advice: 'The body may be at most 48 MiB: send fewer or smaller images, or shorter messages.',
  },
  422: {
    errorClass: 'UnprocessableEntityError',
    lead: 'DeepSeek could not read the request parameters',
    retry: false,
    advice: 'Fix the request body.',
  },
  429: {
    errorClass: 'RateLimitError',
    lead: "DeepSeek's concurrency limit was reached",
    retry: true,
    advice:
      'DeepSeek counts in-flight requests per account (all keys together), and the limit shrinks when the balance is low: ' +
      'lower your parallelism (fewer concurrent requests or agents, or the maxConcurrency option) or top up.',
  },
  500: {
    errorClass: 'InternalServerError',
    lead: 'DeepSeek had a server error',
    retry: true,
    advice: 'If it persists, try again later.',
  },
  503: {
    errorClass: 'ServiceUnavailableError',
    lead: 'DeepSeek is overloaded',
    retry: true,
    advice: 'DeepSeek is overloaded; if it persists, try again later.',
  },
};

const OTHER_SERVER_ERROR: StatusRule = {
  errorClass: 'InternalServerError',
  lead: 'DeepSeek had a server error',
  retry: true,
  advice: 'If it persists, try again later.',
};

const OTHER: StatusRule = { errorClass: 'APIError', lead: 'DeepSeek answered', retry: false, advice: '' };

/** The rule of a status (any 5xx without its own row is a retried InternalServerError). */
export function ruleFor(status: number): StatusRule {
  const rule = RULES[status];
  if (rule !== undefined) return rule;
  return status >= 500 ? OTHER_SERVER_ERROR : OTHER;
}

/**
 * Whether an error answer is retried. `status` undefined is an error sent inside a 200 stream,
 * never retried (the stream may have delivered billed tokens). 402 is never retried.
 */
export function isRetryableStatus(status: number | undefined, headers: Headers | undefined): boolean {
  if (status === undefined || status === 402) return false;
  // openai-node: the server may say whether to retry, whatever the status.
  const should = headers?.get('x-should-retry');
  if (should === 'true') return true;
  if (should === 'false') return false;
  return ruleFor(status).retry;
}

/** The sentence about retrying that ends an error message. */
export function retrySentence(status: number | undefined, headers: Headers | undefined): string {
  if (isRetryableStatus(status, headers)) return 'Retried automatically with backoff (see maxRetries).';
  if (status === undefined) return 'It is not retried (the stream had started).';
  return 'It is not retried.';
}
