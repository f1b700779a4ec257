import type { Exchange } from '../http/exchange.js';
import type { FetchedPage, SearchRequest, SearchResult } from '../types.js';
import { badRequest, EmulatorHttpError, texts } from '../wire/errors.js';
import { Deserializer } from '../wire/serde.js';

/**
 * DeepSeek's standalone Search and Fetch APIs (public since 2026-10-17). Their exact wire shapes
 * are not published; the emulator serves this plausible version:
 *
 * - `POST /v1/tools/search` `{ query: string (1-128 chars), count?: 1-50 (default 10) }` ->
 *   `{ id, object: "search.results", created, query, results: [{ title, url, snippet, summary,
 *   rerank_score (0-3), authority ("high" | "medium" | "low"), published_at? }] }`
 * - `POST /v1/tools/fetch` `{ url: string }` -> `{ id, object: "fetch.result", created, url,
 *   title, content (markdown) }`; an unknown page is a 400 naming the URL.
 *
 * `options.search` and `options.pages` supply the results.
 */

const AUTHORITIES = ['high', 'medium', 'low'];

export async function handleSearch(exchange: Exchange): Promise<void> {
  const { state, record } = exchange;
  const d: Deserializer = new Deserializer(record.rawBody);
  const body = record.body;
  d.object(body, '', 'SearchRequest');
  d.required(body, 'query', '');
  d.string(body.query, 'query');
  if ('count' in body) d.unsigned(body.count, 'count');
  const query = body.query as string;
  if (query.length === 0 || query.length > 128) {
    throw badRequest(
      query.length === 0 ? "Invalid 'query': empty string." : texts.stringTooLong('query', 128, query.length),
    );
  }
  const count = (body.count as number | null | undefined) ?? 10;
  if (count < 1 || count > 50) throw badRequest('Invalid count value, the valid range of count is [1, 50]');
  const request: SearchRequest = { query, count };
  const results = state.options.search ? await state.options.search(query, request) : defaultResults(request);
  exchange.json(
    200,
    JSON.stringify({
      id: state.ids.uuid(),
      object: 'search.results',
      created: Math.floor(state.now() / 1000),
      query,
      results: results.slice(0, count),
    }),
  );
}

export async function handleFetch(exchange: Exchange): Promise<void> {
  const { state, record } = exchange;
  const d: Deserializer = new Deserializer(record.rawBody);
  const body = record.body;
  d.object(body, '', 'FetchRequest');
  d.required(body, 'url', '');
  d.string(body.url, 'url');
  const url = body.url as string;
  if (!/^https?:\/\/\S+$/.test(url))
    throw badRequest(`Invalid 'url': expected an http(s) URL, got ${JSON.stringify(url)}.`);
  if (url.length > 8192) throw badRequest(texts.stringTooLong('url', 8192, url.length));
  const page = await findPage(exchange, url);
  if (page === undefined)
    throw new EmulatorHttpError(400, `Failed to fetch ${url}: the page could not be retrieved.`);
  const resolved: FetchedPage = typeof page === 'string' ? { content: page } : page;
  exchange.json(
    200,
    JSON.stringify({
      id: state.ids.uuid(),
      object: 'fetch.result',
      created: Math.floor(state.now() / 1000),
      url,
      title: resolved.title ?? titleOf(resolved.content, url),
      content: resolved.content,
    }),
  );
}

async function findPage(exchange: Exchange, url: string): Promise<string | FetchedPage | undefined> {
  const pages = exchange.state.options.pages;
  if (pages === undefined)
    return `# ${new URL(url).hostname}\n\nThe plumb DeepSeek emulator's stand-in page for ${url}.\n`;
  if (typeof pages === 'function') return pages(url);
  return Object.hasOwn(pages, url) ? pages[url] : undefined;
}

function titleOf(markdown: string, url: string): string {
  const heading = /^#\s+(.+)$/m.exec(markdown);
  return heading ? heading[1]!.trim() : url;
}

function defaultResults({ query, count }: SearchRequest): SearchResult[] {
  const slug = encodeURIComponent(query.toLowerCase().replace(/\s+/g, '-')).slice(0, 60);
  return Array.from({ length: count }, (_, index) => ({
    title: `${query} - result ${index + 1}`,
    url: `https://example.com/${slug}/${index + 1}`,
    snippet: `A snippet about ${query} (result ${index + 1}).`,
    summary: `Result ${index + 1} summarises what the web says about ${query}.`,
    rerank_score: Number((3 - (index * 3) / Math.max(count, 1)).toFixed(3)),
    authority: AUTHORITIES[index % AUTHORITIES.length]!,
    published_at: `2026-10-${String((index % 28) + 1).padStart(2, '0')}T00:00:00Z`,
  }));
}
