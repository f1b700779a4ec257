/**
 * Checks of the option objects themselves, before any request: unknown keys (with a did-you-mean),
 * the shape of `logger`, header values, and the per-request options. Adding an option is one line
 * in `CLIENT_OPTION_KEYS` or `REQUEST_OPTION_KEYS`.
 */
import { ConfigError } from '../errors/errors.js';
import {
  checkLogger as checkLoggerShape,
  describeValue,
  findUnknownKey,
  type OptionFailure,
  positiveInteger,
} from '../internal/option-checks.js';
import { urlSecrets } from '../internal/redact.js';
import type { ClientOptions, RequestOptions } from './options.js';

export { describeValue, didYouMean } from '../internal/option-checks.js';

/** Every key `new DeepSeek(options)` accepts (the compiler checks it matches ClientOptions). */
export const CLIENT_OPTION_KEYS = [
  'apiKey',
  'baseURL',
  'betaBaseURL',
  'timeout',
  'idleTimeout',
  'maxRetries',
  'initialRetryDelayMs',
  'fetch',
  'fetchOptions',
  'logger',
  'logLevel',
  'defaultHeaders',
  'defaultQuery',
  'preflight',
  'maxConcurrency',
  'maxResponseBytes',
  'maxLineLength',
  'extraModels',
  'telemetry',
] as const satisfies readonly (keyof ClientOptions)[];

/** Every key the `options` argument of a call accepts (the compiler checks it matches RequestOptions). */
export const REQUEST_OPTION_KEYS = [
  'signal',
  'timeout',
  'idleTimeout',
  'maxRetries',
  'headers',
  'preflight',
  'fetchOptions',
  'telemetry',
] as const satisfies readonly (keyof RequestOptions)[];

// An option added to ClientOptions or RequestOptions but not to the lists above fails to compile
// here (and would otherwise be refused at run time as unknown).
type Unlisted<T, K> = Exclude<keyof T, K>;
const everyClientOption: Unlisted<ClientOptions, (typeof CLIENT_OPTION_KEYS)[number]> extends never
  ? true
  : never = true;
const everyRequestOption: Unlisted<RequestOptions, (typeof REQUEST_OPTION_KEYS)[number]> extends never
  ? true
  : never = true;
void everyClientOption;
void everyRequestOption;

/** Builds core's error for a bad option (the shared checks take it). */
export const configFailure: OptionFailure = (field, message) => new ConfigError(field, message);

/** Throws a ConfigError for the first key of `options` not in `known`. */
function checkKnownKeys(options: object, known: readonly string[], what: string): void {
  const unknown = findUnknownKey(options, known);
  if (unknown === undefined) return;
  throw new ConfigError(
    unknown.key,
    `Unknown ${what} option ${unknown.shown}${unknown.guess ? `: did you mean \`${unknown.guess}\`?` : '.'} Known options: ${known.join(', ')}.`,
  );
}

/** The options object itself: undefined or a plain object. */
function checkOptionsObject(value: unknown, what: string): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(what, `Expected the ${what} options to be an object, got ${describeValue(value)}.`);
  }
}

/** `logger`: an object with debug/info/warn/error functions (a pino logger fits). */
function checkLogger(value: unknown): void {
  checkLoggerShape(value, configFailure);
}

/** A header value must be a string (a number or an object is a mistake fetch would stringify). */
export function checkHeaderValue(option: string, name: string, value: unknown): void {
  if (typeof value === 'string') return;
  throw new ConfigError(
    option,
    `Expected header \`${name}\` in \`${option}\` to be a string, got ${describeValue(value)}. Pass String(value) if a number was meant.`,
  );
}

/** Boolean options (`preflight`). */
function checkBoolean(name: string, value: unknown): void {
  if (value === undefined || typeof value === 'boolean') return;
  throw new ConfigError(name, `Expected \`${name}\` to be true or false, got ${describeValue(value)}.`);
}

/** Per-request options: a plain object with known keys. Values are checked where they are used. */
export function checkRequestOptions(options: unknown): void {
  if (options === undefined) return;
  checkOptionsObject(options, 'request');
  checkKnownKeys(options as object, REQUEST_OPTION_KEYS, 'request');
  checkBoolean('preflight', (options as { preflight?: unknown }).preflight);
}

/** `new DeepSeek(options)`: an object with known keys, a logger of the right shape, boolean flags. */
export function checkClientOptions(options: unknown): void {
  checkOptionsObject(options, 'client');
  if (options === undefined) return;
  checkKnownKeys(options as object, CLIENT_OPTION_KEYS, 'client');
  const record = options as Record<string, unknown>;
  checkLogger(record.logger);
  checkBoolean('preflight', record.preflight);
}

/** A size limit: a positive integer. */
export function checkSize(name: string, value: unknown, fallback: number): number {
  return positiveInteger(name, value, fallback, configFailure);
}

/** `extraModels`: an array of non-empty strings. */
export function checkModelList(value: unknown): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((id) => typeof id !== 'string' || id === '')) {
    throw new ConfigError(
      'extraModels',
      `Expected \`extraModels\` to be an array of model ids (e.g. ['deepseek-v5']), got ${describeValue(value)}.`,
    );
  }
  return [...value];
}

/** Header names whose values are credentials (redacted wherever they could be echoed). */
const CREDENTIAL_HEADER = /auth|key|token|secret|cookie|session|password|credential/i;

/**
 * Every secret a client holds, for redaction: the API key, the user name and password of the base
 * URLs, and the values of credential-like default headers (`authorization`, `x-api-key`, ...).
 */
export function configuredSecrets(
  apiKey: string | undefined,
  baseURL: string,
  betaBaseURL: string,
  headers: unknown,
): string[] {
  const out = new Set<string>();
  if (apiKey !== undefined) out.add(apiKey);
  for (const secret of [...urlSecrets(baseURL), ...urlSecrets(betaBaseURL)]) out.add(secret);
  if (typeof headers === 'object' && headers !== null) {
    for (const [name, value] of Object.entries(headers)) {
      if (typeof value !== 'string' || !CREDENTIAL_HEADER.test(name)) continue;
      out.add(value);
      // `Bearer abc` / `Basic abc`: the token alone may be echoed too.
      const token = /^\S+\s+(\S+)$/.exec(value)?.[1];
      if (token !== undefined) out.add(token);
    }
  }
  return [...out].filter((secret) => secret.length >= 4);
}
