import type { GuardedResponse } from './guarded-fetch.js';
import { htmlToText } from './html-to-text.js';

/** What the `http_fetch` tool returns to the model. */
export interface FetchResult {
  /** The URL that answered (after redirects). */
  url: string;
  status: number;
  /** The media type, e.g. `text/html` (no parameters). Empty when the server sent none. */
  contentType: string;
  /** The page title, for HTML. */
  title?: string | undefined;
  /** The body as text: HTML converted to readable text (unless `format: 'raw'`), others decoded. */
  content: string;
  /** Present (true) when the body was cut at the size limit. */
  truncated?: true | undefined;
  /** Set when something about the content needs explaining (truncation, binary data). */
  notice?: string | undefined;
  /** The URLs that redirected here, when there were any. */
  redirectedFrom?: string[] | undefined;
}

/** How to present a body: `text` converts HTML to readable text; `raw` returns the source. */
export type FetchFormat = 'text' | 'raw';

const TEXT_TYPES = [
  'application/json',
  'application/xml',
  'application/javascript',
  'application/ecmascript',
  'application/x-www-form-urlencoded',
  'application/yaml',
  'application/x-yaml',
  'application/toml',
  'application/x-ndjson',
];

/** Decodes and presents a fetched body for the model. */
export function renderResponse(response: GuardedResponse, format: FetchFormat = 'text'): FetchResult {
  const header = response.headers['content-type'] ?? '';
  const [typePart = '', ...params] = header.split(';');
  const contentType = typePart.trim().toLowerCase();
  const result: FetchResult = { url: response.url, status: response.status, contentType, content: '' };
  if (response.redirects.length > 0) result.redirectedFrom = response.redirects;

  if (!isText(contentType, response.body)) {
    result.notice = `The response is binary (${contentType || 'unknown type'}, ${response.body.byteLength}${response.truncated ? '+' : ''} bytes) and is not shown.`;
    return result;
  }
  let text = decode(response.body, charsetOf(params));
  if (format === 'text' && isHtml(contentType, text)) {
    const page = htmlToText(text, { baseUrl: response.url });
    if (page.title !== undefined) result.title = page.title;
    text = page.text;
  }
  result.content = text;
  if (response.truncated) {
    result.truncated = true;
    result.notice = `The body was longer than the size limit (${response.body.byteLength} bytes) and was cut; the content is incomplete.`;
  }
  return result;
}

function isText(contentType: string, body: Uint8Array): boolean {
  if (contentType === '') return !body.subarray(0, 1024).includes(0);
  return (
    contentType.startsWith('text/') ||
    contentType.endsWith('+json') ||
    contentType.endsWith('+xml') ||
    TEXT_TYPES.includes(contentType)
  );
}

function isHtml(contentType: string, text: string): boolean {
  if (contentType === 'text/html' || contentType === 'application/xhtml+xml') return true;
  if (contentType !== '') return false;
  const start = text.slice(0, 200).trimStart().toLowerCase();
  return start.startsWith('<!doctype html') || start.startsWith('<html');
}

function charsetOf(params: string[]): string {
  for (const param of params) {
    const [name = '', value = ''] = param.split('=');
    if (name.trim().toLowerCase() === 'charset') return value.trim().replace(/^"|"$/g, '');
  }
  return 'utf-8';
}

function decode(body: Uint8Array, charset: string): string {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset);
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  return decoder.decode(body);
}
