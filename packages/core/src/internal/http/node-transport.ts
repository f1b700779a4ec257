/**
 * The node:http transport, the default on Node (chosen by the `node` condition of the package's
 * `#default-transport` import; Bun, Deno, Workers and browsers stay on fetch). It does what the
 * fetch transport does with less work per request: no WHATWG streams, no Request/Response objects
 * unless asked for (`withResponse().response`), one chunk of everything buffered per read.
 *
 * Connections: Node's global agents (`http.globalAgent`, `https.globalAgent`; keep-alive on since
 * Node 19), so whatever configures them applies (NODE_USE_ENV_PROXY on Node >= 24.5, a replaced
 * global agent, NODE_EXTRA_CA_CERTS). An undici `dispatcher` or any other `fetchOptions` is
 * fetch's: a request with `fetchOptions`, with a caller's `fetch`, or with a multipart body goes
 * through the fetch transport instead (http-client.ts).
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { Readable } from 'node:stream';
import { urlToHttpOptions } from 'node:url';
import * as zlib from 'node:zlib';
import type { ByteReader } from './event-reader.js';
import type { AttemptSettings, Exchange, HttpRequest, ResponseHead } from './transport.js';

const DONE: ReadableStreamReadResult<Uint8Array> = Object.freeze({ done: true, value: undefined });

function ignore(): void {}

/**
 * `http.request(url, options)` parses the URL on every call; a client sends to one or two URLs,
 * so the fields Node derives from the string (`urlToHttpOptions(new URL(url))`) are kept, a few
 * URLs at most, and each request gets a fresh object of one fixed shape (Node writes into the
 * options object; copying the null-prototype object Node returns is several times slower).
 */
interface ParsedUrl {
  readonly protocol: string | null | undefined;
  readonly hostname: string | null | undefined;
  readonly port: number | string | null | undefined;
  readonly path: string | null | undefined;
  readonly auth: string | null | undefined;
}

const parsedUrls = new Map<string, ParsedUrl>();
const MAX_PARSED_URLS = 16;

function requestOptions(
  url: string,
  method: string,
  headers: Record<string, string | number>,
): http.RequestOptions {
  let parsed = parsedUrls.get(url);
  if (parsed === undefined) {
    const { protocol, hostname, port, path, auth } = urlToHttpOptions(new URL(url));
    parsed = { protocol, hostname, port, path, auth };
    if (parsedUrls.size >= MAX_PARSED_URLS) parsedUrls.clear();
    parsedUrls.set(url, parsed);
  }
  return {
    protocol: parsed.protocol,
    hostname: parsed.hostname,
    port: parsed.port,
    path: parsed.path,
    auth: parsed.auth,
    method,
    headers,
  };
}

/** Sends the request with node:http / node:https. Redirects are not followed (a 3xx is handed back). */
export function nodeTransport(request: HttpRequest, _settings: AttemptSettings): Exchange {
  return new NodeExchange(request);
}

/** A transport error as fetch words it: a short message, the system error as its cause. */
function connectionError(error: unknown): Error {
  if (!(error instanceof Error)) return new TypeError(String(error));
  const code = (error as { code?: unknown }).code;
  // Node 20's happy eyeballs rejects with an AggregateError without a message.
  const inner = error instanceof AggregateError ? (error.errors[0] as Error | undefined) : undefined;
  const message = error.message || inner?.message || (typeof code === 'string' ? code : error.name);
  return new TypeError(`request failed: ${message}`, { cause: error });
}

class NodeExchange implements Exchange, ResponseHead {
  readonly head: Promise<ResponseHead>;
  #request: http.ClientRequest | undefined;
  #message: http.IncomingMessage | undefined;
  #body: NodeBody | undefined;
  #headers: Headers | undefined;
  #response: Response | undefined;
  #aborted = false;

  constructor(request: HttpRequest) {
    this.head = new Promise<ResponseHead>((resolve, reject) => {
      const { method, url, body } = request;
      if (typeof body === 'object') throw new TypeError('the node transport sends text bodies only');
      const client = url.startsWith('https:') ? https : url.startsWith('http:') ? http : undefined;
      if (client === undefined)
        throw new TypeError(`unsupported URL scheme in ${url.slice(0, url.indexOf(':') + 1)}`);
      let headers: Record<string, string | number> = request.headers;
      if (body !== undefined) {
        // Object.assign, not `{ ...headers, 'content-length': n }`: V8 builds a spread followed
        // by more keys in its runtime, several times slower (once per request).
        headers = Object.assign({}, headers);
        headers['content-length'] = Buffer.byteLength(body);
      }
      let req: http.ClientRequest;
      try {
        req = client.request(requestOptions(url, method, headers));
      } catch (error) {
        throw connectionError(error);
      }
      this.#request = req;
      req.on('error', (error) => reject(connectionError(error)));
      req.on('response', (message) => {
        this.#message = message;
        if (this.#aborted) {
          message.destroy();
          return;
        }
        resolve(this);
      });
      req.end(body);
    });
  }

  get status(): number {
    return this.#message!.statusCode ?? 0;
  }

  header(name: string): string | null {
    return rawHeader(this.#message!, name);
  }

  get headers(): Headers {
    if (this.#headers === undefined) {
      const headers = new Headers();
      const raw = this.#message!.rawHeaders;
      for (let i = 0; i + 1 < raw.length; i += 2) {
        try {
          headers.append(raw[i]!, raw[i + 1]!);
        } catch {
          // A header fetch would refuse (an invalid name or value) is left out.
        }
      }
      this.#headers = headers;
    }
    return this.#headers;
  }

  get response(): Response {
    this.#response ??= new Response(null, {
      status: this.status,
      statusText: this.#message!.statusMessage ?? '',
      headers: this.headers,
    });
    return this.#response;
  }

  reader(): ByteReader | undefined {
    const message = this.#message;
    if (this.#body === undefined && message !== undefined) {
      this.#body = new NodeBody(decoded(message), message);
    }
    return this.#body;
  }

  abort(): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#body?.stop();
    // A body read to its end gave its connection back to the agent: nothing to close.
    if (this.#message?.readableEnded) return;
    this.#message?.destroy();
    this.#request?.destroy();
  }
}

/**
 * One header (`name` in lower case) as `message.headers[name]` gives it, read from `rawHeaders`:
 * the `headers` object is built on first use, for every header, and plumb reads three. Repeated
 * headers are joined with ', ', except `content-type`, whose first value counts (as Node does).
 */
function rawHeader(message: http.IncomingMessage, name: string): string | null {
  const raw = message.rawHeaders;
  let value: string | null = null;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const key = raw[i]!;
    if (key.length !== name.length || key.toLowerCase() !== name) continue;
    if (value === null) value = raw[i + 1]!;
    else if (name === 'content-type') break;
    else value = `${value}, ${raw[i + 1]!}`;
  }
  return value;
}

/** The body, decompressed when the server compressed it anyway (plumb does not ask for it). */
function decoded(message: http.IncomingMessage): Readable {
  const encoding = rawHeader(message, 'content-encoding');
  if (encoding === null || encoding === 'identity') return message;
  const inflate =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? zlib.createGunzip()
      : encoding === 'deflate'
        ? zlib.createInflate()
        : encoding === 'br'
          ? zlib.createBrotliDecompress()
          : undefined;
  if (inflate === undefined) return message;
  message.on('error', (error) => inflate.destroy(error));
  return message.pipe(inflate);
}

/**
 * Pulls a node Readable in paused mode: each read takes everything buffered at once (`read()`
 * without a size), or waits for the next `readable`. A stopped body answers `done`, as a cancelled
 * WHATWG reader does; a connection lost before the end rejects the read.
 */
class NodeBody implements ByteReader {
  readonly #stream: Readable;
  readonly #message: http.IncomingMessage;
  #ended = false;
  #stopped = false;
  #error: Error | undefined;
  #resolve: ((result: ReadableStreamReadResult<Uint8Array>) => void) | undefined;
  #reject: ((error: unknown) => void) | undefined;

  constructor(stream: Readable, message: http.IncomingMessage) {
    this.#stream = stream;
    this.#message = message;
    stream.on('readable', this.#onReadable);
    stream.on('end', () => {
      this.#ended = true;
      this.#settle(DONE);
    });
    stream.on('error', (error) => this.#fail(error));
    // A connection cut before the end closes the message without 'end' (and often without 'error').
    message.on('close', () => {
      if (!message.complete) this.#fail(new Error('the connection closed before the answer ended'));
    });
    if (stream !== message) message.on('error', (error) => this.#fail(error));
  }

  readonly #onReadable = (): void => {
    if (this.#resolve === undefined) return;
    const chunk = this.#stream.read() as Buffer | null;
    if (chunk !== null) this.#settle({ done: false, value: chunk });
  };

  #fail(error: Error): void {
    if (this.#ended || this.#stopped || this.#error !== undefined) return;
    this.#error = connectionError(error);
    const reject = this.#reject;
    this.#resolve = undefined;
    this.#reject = undefined;
    reject?.(this.#error);
  }

  #settle(result: ReadableStreamReadResult<Uint8Array>): void {
    const resolve = this.#resolve;
    this.#resolve = undefined;
    this.#reject = undefined;
    resolve?.(result);
  }

  read(): Promise<ReadableStreamReadResult<Uint8Array>> {
    if (this.#stopped) return Promise.resolve(DONE);
    const chunk = this.#stream.read() as Buffer | null;
    if (chunk !== null) return Promise.resolve({ done: false, value: chunk });
    if (this.#error !== undefined) return Promise.reject(this.#error);
    if (this.#ended) return Promise.resolve(DONE);
    return new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  /** Ends a pending read as `done` (the exchange was aborted). */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#settle(DONE);
  }

  cancel(): Promise<void> {
    this.stop();
    if (!this.#ended) {
      this.#message.destroy();
      if (this.#stream !== this.#message) this.#stream.destroy();
    }
    this.#stream.on('error', ignore);
    return Promise.resolve();
  }
}
