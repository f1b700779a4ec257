/**
 * `client.web`: DeepSeek's standalone Search and Fetch APIs (`POST /v1/tools/search`,
 * `POST /v1/tools/fetch`, public since 2026-10-17, billed per successful request). The response
 * shapes are not fully documented: the known fields are typed and every other field is kept.
 */

import { APIPromise } from '../client/api-promise.js';
import { describeValue } from '../client/check-options.js';
import type { RequestOptions } from '../client/options.js';
import { PreflightError } from '../errors/errors.js';
import type { HttpClient } from '../internal/http/http-client.js';

/** Params of `web.search`. */
export interface WebSearchParams {
  /** 1 to 128 characters; supports `site:`, `-site:`, `lang:`, `after:`, `before:`. */
  query: string;
  /** Results wanted, 1 to 50. @default 10 */
  count?: number | undefined;
}

/** One search hit. Fields beyond these are kept as sent. */
export interface WebSearchResult {
  title?: string | undefined;
  url: string;
  snippet?: string | undefined;
  summary?: string | undefined;
  /** Relevance from 0 to 3. */
  rerank_score?: number | undefined;
  /** Source authority tier, e.g. `high`, `medium`, `low`. */
  authority?: string | undefined;
  /** ISO date, when known. */
  published_at?: string | undefined;
  [field: string]: unknown;
}

/** The search answer. Fields beyond these are kept as sent. */
export interface WebSearchResponse {
  id?: string | undefined;
  object?: string | undefined;
  created?: number | undefined;
  query?: string | undefined;
  results: WebSearchResult[];
  [field: string]: unknown;
}

/** Params of `web.fetch`. */
export interface WebFetchParams {
  /** The page to fetch (http or https). */
  url: string;
}

/** A fetched page as Markdown. Fields beyond these are kept as sent. */
export interface WebFetchResponse {
  id?: string | undefined;
  object?: string | undefined;
  created?: number | undefined;
  url?: string | undefined;
  title?: string | undefined;
  /** The page as Markdown. */
  content: string;
  [field: string]: unknown;
}

function checkSearch(params: WebSearchParams): void {
  const query = params?.query;
  if (typeof query !== 'string' || query.length < 1 || query.length > 128) {
    throw new PreflightError('search-query', 'query', 'web.search needs a query of 1 to 128 characters.');
  }
  const count = params.count;
  if (count !== undefined && (!Number.isInteger(count) || count < 1 || count > 50)) {
    throw new PreflightError(
      'search-count',
      'count',
      `web.search count must be an integer from 1 to 50, got ${describeValue(count)}.`,
    );
  }
}

function checkFetch(params: WebFetchParams): void {
  const url = params?.url;
  if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) {
    throw new PreflightError('fetch-url', 'url', 'web.fetch needs an absolute http(s) URL.');
  }
}

/** `client.web`. */
export class Web {
  readonly #http: HttpClient;

  /** @internal */
  constructor(http: HttpClient) {
    this.#http = http;
  }

  /**
   * Searches the web.
   *
   * @example
   * const { results } = await client.web.search({ query: 'deepseek v4 release notes', count: 5 });
   */
  search(params: WebSearchParams, options?: RequestOptions): APIPromise<WebSearchResponse> {
    return new APIPromise(
      (async () => {
        if (this.#http.preflight(options)) checkSearch(params);
        return this.#http.json<WebSearchResponse>(
          { method: 'POST', base: 'root', path: '/v1/tools/search', body: params },
          options,
        );
      })(),
    );
  }

  /**
   * Fetches one page as Markdown.
   *
   * @example
   * const page = await client.web.fetch({ url: 'https://api-docs.deepseek.com/' });
   */
  fetch(params: WebFetchParams, options?: RequestOptions): APIPromise<WebFetchResponse> {
    return new APIPromise(
      (async () => {
        if (this.#http.preflight(options)) checkFetch(params);
        return this.#http.json<WebFetchResponse>(
          { method: 'POST', base: 'root', path: '/v1/tools/fetch', body: params },
          options,
        );
      })(),
    );
  }
}
