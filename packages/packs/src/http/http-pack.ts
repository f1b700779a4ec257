import { type ToolPack, tool, toolPack } from '@plumb/tools';
import { z } from 'zod/v4';
import { PackConfigError, PackInputError } from '../errors.js';
import {
  BOOLEAN,
  COMMON_OPTIONS,
  checkPackOptions,
  FUNCTION,
  type OptionType,
  POSITIVE_INTEGER,
  RECORD,
  STRINGS,
} from '../option-checks.js';
import { type CommonPackOptions, packDefaults, positiveInteger } from '../pack-options.js';
import type { Connector } from './connector.js';
import { guardedFetch } from './guarded-fetch.js';
import { type FetchResult, renderResponse } from './render.js';
import { createSsrfGuard, type Resolver, type SsrfPolicy } from './ssrf-guard.js';

/** Options of {@link httpPack}. */
export interface HttpPackOptions extends CommonPackOptions, SsrfPolicy {
  /** Methods the model may use. Default `['GET']`. */
  methods?: readonly string[] | undefined;
  /** For the whole request, redirects and body included. Default 15 000 ms. */
  timeoutMs?: number | undefined;
  /** Response bytes kept (after decompression); reading stops past it. Default 1 000 000. */
  maxBytes?: number | undefined;
  /** Redirects followed, each re-checked by the SSRF guard. Default 5. */
  maxRedirects?: number | undefined;
  /** Headers sent with every request (the model's own headers cannot override them). */
  headers?: Record<string, string> | undefined;
  /** Host name to addresses. Default: the system resolver. Tests inject a fake one. */
  resolver?: Resolver | undefined;
  /** Performs a request to a validated address. Default: node:http(s) pinned to that address. */
  connector?: Connector | undefined;
}

const WHOLE_NUMBER: OptionType = {
  expected: 'a whole number, 0 or more',
  test: (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0,
};

const OPTION_TYPES = {
  ...COMMON_OPTIONS,
  methods: STRINGS,
  timeoutMs: POSITIVE_INTEGER,
  maxBytes: POSITIVE_INTEGER,
  maxRedirects: WHOLE_NUMBER,
  headers: RECORD,
  resolver: FUNCTION,
  connector: FUNCTION,
  allowHosts: STRINGS,
  allowAddresses: STRINGS,
  allowPrivate: BOOLEAN,
  onlyHosts: STRINGS,
};

const KNOWN_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const FORBIDDEN_HEADERS = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'expect',
  'proxy-authorization',
  'proxy-connection',
]);
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

interface FetchArgs {
  url: string;
  format: 'text' | 'raw';
  headers?: Record<string, string> | undefined;
  method?: string | undefined;
  body?: string | undefined;
}

/**
 * The `fetch_url` tool: fetch a web page or API with an SSRF guard. Loopback, private,
 * link-local, unique-local, CGNAT, multicast and metadata destinations (v4 and v6, as literals,
 * as names that resolve to them, and at every redirect hop) are refused unless allow-listed.
 * Connections go to the address that was checked (no DNS rebinding). GET only unless `methods`
 * says otherwise; responses are capped, time-limited, and HTML is turned into readable text.
 *
 * @example
 * const agent = new Agent({ tools: [httpPack({ onlyHosts: ['*.wikipedia.org'] })] });
 */
export function httpPack(options: HttpPackOptions = {}): ToolPack {
  checkPackOptions('httpPack', options, OPTION_TYPES);
  const guard = createSsrfGuard(options, options.resolver);
  const timeoutMs = positiveInteger('httpPack', 'timeoutMs', options.timeoutMs, 15_000);
  const maxBytes = positiveInteger('httpPack', 'maxBytes', options.maxBytes, 1_000_000);
  const maxRedirects = redirectLimit(options.maxRedirects);
  const methods = checkMethods(options.methods);
  const fixedHeaders = checkFixedHeaders(options.headers);
  if (options.connector !== undefined && typeof options.connector !== 'function') {
    throw new PackConfigError('httpPack: connector must be a function (request) => Promise<response>.');
  }
  const withBody = methods.some((method) => method !== 'GET' && method !== 'HEAD');

  const base = {
    url: z.string().describe('Absolute http(s) URL, e.g. "https://example.com/page".'),
    format: z
      .enum(['text', 'raw'])
      .default('text')
      .describe('"text" turns HTML into readable text with Markdown links; "raw" returns the source.'),
    headers: z.record(z.string(), z.string()).optional().describe('Extra request headers.'),
  };
  const parameters =
    methods.length === 1 && methods[0] === 'GET'
      ? z.object(base)
      : z.object({
          ...base,
          method: z
            .enum(methods as [string, ...string[]])
            .default(methods.includes('GET') ? 'GET' : methods[0]!)
            .describe('HTTP method.'),
          ...(withBody
            ? { body: z.string().optional().describe('Request body (for POST, PUT, PATCH).') }
            : {}),
        });

  return toolPack({
    name: 'http',
    description: 'Fetch URLs from the public internet, guarded against SSRF',
    timeoutMs: timeoutMs + 1000,
    tools: [
      tool({
        name: 'fetch_url',
        description: `Fetch a URL over HTTP(S) (${methods.join(', ')}) and return its status and content; HTML is converted to readable text. Only public internet addresses can be reached. Responses over ${maxBytes} bytes are cut.`,
        parameters: parameters as z.ZodType<FetchArgs>,
        execute: async (args: FetchArgs, { signal }) => {
          const headers = { ...checkHeaders(args.headers ?? {}), ...fixedHeaders };
          if (args.body !== undefined && Buffer.byteLength(args.body) > maxBytes) {
            throw new PackInputError('too_large', `The request body is longer than ${maxBytes} bytes.`);
          }
          const response = await guardedFetch(args.url, {
            guard,
            connector: options.connector,
            method: args.method ?? 'GET',
            headers,
            body: args.body,
            maxRedirects,
            timeoutMs,
            maxBytes,
            signal,
          });
          return toText(renderResponse(response, args.format));
        },
      }),
    ],
    ...packDefaults(options),
  });
}

/** The tool message: a short header, a blank line, then the content (no JSON escaping). */
function toText(result: FetchResult): string {
  const lines = [`URL: ${result.url}`, `Status: ${result.status}`];
  if (result.redirectedFrom) lines.push(`Redirected from: ${result.redirectedFrom.join(' -> ')}`);
  lines.push(`Content-Type: ${result.contentType || 'unknown'}`);
  if (result.title !== undefined) lines.push(`Title: ${result.title}`);
  let text = `${lines.join('\n')}\n\n${result.content}`;
  if (result.notice !== undefined) text += `${result.content === '' ? '' : '\n\n'}[${result.notice}]`;
  return text;
}

function redirectLimit(value: number | undefined): number {
  if (value === undefined) return 5;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new PackConfigError(
      `httpPack: maxRedirects must be a whole number, 0 or more (0: a redirect is an error), got ${String(value)}.`,
    );
  }
  return value;
}

function checkMethods(value: readonly string[] | undefined): string[] {
  const methods = Array.isArray(value)
    ? value.map((method) => (typeof method === 'string' ? method.toUpperCase() : ''))
    : value === undefined
      ? ['GET']
      : [];
  if (methods.length === 0 || methods.some((method) => !KNOWN_METHODS.includes(method))) {
    throw new PackConfigError(
      `httpPack: methods must be a non-empty array of ${KNOWN_METHODS.join(', ')}, e.g. ['GET', 'POST'].`,
    );
  }
  return methods;
}

/** The developer's fixed headers: checked once, when the pack is built. */
function checkFixedHeaders(value: Record<string, string> | undefined): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PackConfigError('httpPack: headers must be an object of header names to string values.');
  }
  const headers = lowerCaseKeys(value);
  for (const [name, text] of Object.entries(headers)) {
    if (!TOKEN.test(name) || FORBIDDEN_HEADERS.has(name)) {
      throw new PackConfigError(
        `httpPack: headers.${name} cannot be set (not a valid header name, or one the connection manages). Remove it.`,
      );
    }
    if (typeof text !== 'string' || /[\r\n\0]/.test(text)) {
      throw new PackConfigError(
        `httpPack: headers.${name} must be a string without line breaks or NUL characters.`,
      );
    }
  }
  return headers;
}

function checkHeaders(headers: Record<string, string>): Record<string, string> {
  const checked = lowerCaseKeys(headers);
  for (const [name, value] of Object.entries(checked)) {
    if (!TOKEN.test(name) || FORBIDDEN_HEADERS.has(name) || name.startsWith('proxy-')) {
      throw new PackInputError('invalid_header', `The header "${name}" cannot be set. Remove it.`);
    }
    if (/[\r\n\0]/.test(value)) {
      throw new PackInputError(
        'invalid_header',
        `The value of header "${name}" contains a line break or NUL.`,
      );
    }
  }
  return checked;
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) result[name.toLowerCase()] = value;
  return result;
}
