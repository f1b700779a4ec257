import type { DeepSeek, WebSearchResult } from '@plumb/core';
import { type ToolPack, tool, toolPack } from '@plumb/tools';
import { z } from 'zod/v4';
import { PackConfigError } from '../errors.js';
import { COMMON_OPTIONS, checkPackOptions, POSITIVE_INTEGER, RECORD } from '../option-checks.js';
import { type CommonPackOptions, packDefaults, positiveInteger } from '../pack-options.js';

/** Options of {@link deepseekWebPack}. */
export interface DeepSeekWebPackOptions extends CommonPackOptions {
  /** The client whose key pays for the searches (`new DeepSeek()`). Only `client.web` is used. */
  client: Pick<DeepSeek, 'web'>;
  /** Results per search when the model asks for no count. Default 10 (DeepSeek's default). */
  defaultCount?: number | undefined;
  /** Most results the model may ask for per search (1-50). Default 20. */
  maxCount?: number | undefined;
  /** Per-call timeout of the tools. Default 60 000 ms. */
  timeoutMs?: number | undefined;
}

/** What `web_search` returns to the model (the API's bookkeeping fields left out). */
export interface WebSearchToolResult {
  query: string;
  results: WebSearchResult[];
}

/**
 * DeepSeek's own Search and Fetch APIs as tools, `web_search` and `web_fetch`, so an agent can
 * search and read the web with one DeepSeek key. Each successful call is billed by DeepSeek
 * per request. Pages are fetched by DeepSeek's servers, not from your network.
 *
 * @example
 * const client = new DeepSeek();
 * const agent = new Agent({ client, tools: [deepseekWebPack({ client })] });
 */
export function deepseekWebPack(options: DeepSeekWebPackOptions): ToolPack {
  checkPackOptions('deepseekWebPack', options, {
    ...COMMON_OPTIONS,
    client: RECORD,
    defaultCount: POSITIVE_INTEGER,
    maxCount: POSITIVE_INTEGER,
    timeoutMs: POSITIVE_INTEGER,
  });
  if (typeof options?.client?.web?.search !== 'function' || typeof options.client.web.fetch !== 'function') {
    throw new PackConfigError(
      'deepseekWebPack: client must be a DeepSeek client from @plumb/core (new DeepSeek()).',
    );
  }
  const { client } = options;
  const maxCount = positiveInteger('deepseekWebPack', 'maxCount', options.maxCount, 20);
  const defaultCount = positiveInteger('deepseekWebPack', 'defaultCount', options.defaultCount, 10);
  if (maxCount > 50 || defaultCount > maxCount) {
    throw new PackConfigError(
      'deepseekWebPack: need defaultCount <= maxCount <= 50 (DeepSeek returns at most 50 results).',
    );
  }
  return toolPack({
    name: 'deepseek_web',
    description: "Web search and page fetching through DeepSeek's Search and Fetch APIs",
    timeoutMs: positiveInteger('deepseekWebPack', 'timeoutMs', options.timeoutMs, 60_000),
    tools: [
      tool({
        name: 'web_search',
        description:
          'Search the web. Returns results with title, url, snippet, summary, a relevance rerank_score (0-3) and an authority tier. ' +
          'The query supports site:example.com, -site:example.com, lang:en, after:2025-01-01 and before:2025-12-31. ' +
          'Use web_fetch to read a result in full.',
        parameters: z.object({
          query: z.string().min(1).max(128).describe('What to search for (1-128 characters).'),
          count: z
            .number()
            .int()
            .min(1)
            .max(maxCount)
            .optional()
            .describe(`Number of results (default ${defaultCount}).`),
        }),
        execute: async ({ query, count }, { signal }): Promise<WebSearchToolResult> => {
          const response = await client.web.search({ query, count: count ?? defaultCount }, { signal });
          return { query, results: response.results ?? [] };
        },
      }),
      tool({
        name: 'web_fetch',
        description: 'Read one web page (by its http or https URL) as Markdown.',
        parameters: z.object({
          url: z.string().describe('The page URL, e.g. a url from web_search.'),
        }),
        execute: async ({ url }, { signal }) => {
          const page = await client.web.fetch({ url }, { signal });
          const header = [`URL: ${page.url ?? url}`];
          if (page.title) header.push(`Title: ${page.title}`);
          return `${header.join('\n')}\n\n${page.content}`;
        },
      }),
    ],
    ...packDefaults(options),
  });
}
