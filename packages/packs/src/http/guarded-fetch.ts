import { cutText } from '@plumb/core';
import { PackInputError, PackRemoteError } from '../errors.js';
import { type Connector, nodeConnector } from './connector.js';
import { readBody } from './read-body.js';
import type { SsrfGuard } from './ssrf-guard.js';

/** Options of {@link guardedFetch}. */
export interface GuardedFetchOptions {
  /** The guard every hop goes through. */
  guard: SsrfGuard;
  /** How to talk to a validated address. Default: {@link nodeConnector}. */
  connector?: Connector | undefined;
  /** Default `GET`. */
  method?: string | undefined;
  headers?: Record<string, string> | undefined;
  body?: string | Uint8Array | undefined;
  /** Redirects followed (each hop re-checked by the guard). Default 5. */
  maxRedirects?: number | undefined;
  /** For the whole exchange: every hop and the body. Default 15 000 ms. */
  timeoutMs?: number | undefined;
  /** Body bytes kept (after decompression); reading stops past it. Default 1 000 000. */
  maxBytes?: number | undefined;
  signal?: AbortSignal | undefined;
}

/** What {@link guardedFetch} returns. */
export interface GuardedResponse {
  /** The URL that answered (after redirects). */
  url: string;
  status: number;
  /** Lower-case names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: Uint8Array;
  /** True when the body was longer than `maxBytes` and reading stopped. */
  truncated: boolean;
  /** The URLs redirected through, in order (not including `url`). */
  redirects: string[];
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/**
 * Headers kept when a redirect leaves the origin. Every other header is dropped, whoever set it:
 * a secret can hide in any custom header (`x-api-key`, `api-key`, `x-auth-token`, ...), so the
 * rule is an allow-list of headers that never carry credentials, not a block-list.
 */
const CROSS_ORIGIN_SAFE_HEADERS: ReadonlySet<string> = new Set([
  'accept',
  'accept-encoding',
  'accept-language',
  'cache-control',
  'content-language',
  'content-type',
  'pragma',
  'user-agent',
]);

/**
 * Fetches a URL through an SSRF guard: the first URL and every redirect hop are checked (host
 * name, then each resolved address) before a connection is opened, and the connection goes to the
 * address that was checked. Redirects are followed by hand, the body is capped, and one timeout
 * covers the whole exchange.
 */
export async function guardedFetch(
  input: string | URL,
  options: GuardedFetchOptions,
): Promise<GuardedResponse> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const maxRedirects = options.maxRedirects ?? 5;
  const maxBytes = options.maxBytes ?? 1_000_000;
  const connector = options.connector ?? nodeConnector;
  const timer = new AbortController();
  const handle = setTimeout(() => timer.abort(new TimeoutSignal()), timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timer.signal]) : timer.signal;

  let url = parseUrl(input);
  let method = (options.method ?? 'GET').toUpperCase();
  let headers: Record<string, string> = { 'accept-encoding': 'gzip, deflate, br' };
  for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
  let body = typeof options.body === 'string' ? new TextEncoder().encode(options.body) : options.body;
  const redirects: string[] = [];
  try {
    for (;;) {
      const target = await untilAborted(options.guard.check(url, signal), signal);
      const requestHeaders = { ...headers };
      if (body !== undefined) requestHeaders['content-length'] = String(body.byteLength);
      const response = await untilAborted(
        connector({
          url,
          method,
          headers: requestHeaders,
          body,
          address: target.address,
          family: target.family,
          signal,
        }),
        signal,
        (late) => late.cancel(),
      );
      const location = header(response.headers.location);
      if (!REDIRECTS.has(response.status) || location === undefined) {
        const read = await readBody(response, { maxBytes, signal });
        return {
          url: url.href,
          status: response.status,
          headers: flattenHeaders(response.headers),
          body: read.body,
          truncated: read.truncated,
          redirects,
        };
      }
      response.cancel();
      if (redirects.length >= maxRedirects) {
        throw new PackRemoteError(
          'too_many_redirects',
          `Stopped after ${maxRedirects} redirects (last: ${url.href} -> ${location}).`,
        );
      }
      const next = resolveLocation(location, url);
      if (
        response.status === 303 ||
        ((response.status === 301 || response.status === 302) && method === 'POST')
      ) {
        if (method !== 'HEAD') method = 'GET';
        body = undefined;
        delete headers['content-type'];
      }
      if (next.origin !== url.origin) {
        headers = Object.fromEntries(
          Object.entries(headers).filter(([name]) => CROSS_ORIGIN_SAFE_HEADERS.has(name)),
        );
      }
      redirects.push(url.href);
      url = next;
    }
  } catch (error) {
    if (timer.signal.aborted && !options.signal?.aborted) {
      throw new PackRemoteError('timeout', `The request to ${url.href} timed out after ${timeoutMs} ms.`, {
        cause: error,
      });
    }
    throw error;
  } finally {
    clearTimeout(handle);
  }
}

/**
 * Settles with `promise`, or rejects with the abort reason as soon as `signal` aborts; a value
 * that arrives after the abort is handed to `discard` (to close a late response).
 */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal, discard?: (late: T) => void): Promise<T> {
  if (signal.aborted) {
    promise.then(discard, () => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) discard?.(value);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

class TimeoutSignal extends Error {
  constructor() {
    super('timed out');
    this.name = 'TimeoutError';
  }
}

function parseUrl(input: string | URL): URL {
  if (input instanceof URL) return input;
  try {
    return new URL(input);
  } catch {
    throw new PackInputError(
      'invalid_url',
      `"${cutText(input, 200)}" is not a valid absolute URL. Use a full URL such as https://example.com/page.`,
    );
  }
}

function resolveLocation(location: string, base: URL): URL {
  try {
    return new URL(location, base);
  } catch {
    throw new PackRemoteError('bad_redirect', `${base.href} redirected to an invalid URL: "${location}".`);
  }
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) result[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return result;
}
