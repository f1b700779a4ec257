/**
 * The fetch transport: every runtime's own `fetch` (Bun, Deno, Cloudflare Workers, browsers), a
 * `fetch` the caller passed, and any request with `fetchOptions` (an undici `dispatcher`, Bun's
 * `proxy`). On Node without those, node-transport.ts carries the requests instead.
 */
import type { ByteReader } from './event-reader.js';
import { REDIRECT_MODE } from './redirect-mode.js';
import type { AttemptSettings, Exchange, HttpRequest, ResponseHead } from './transport.js';

function ignore(): void {}

/** Sends the request with `settings.fetch`; redirects are refused (see redirect-mode.ts). */
export function fetchTransport(request: HttpRequest, settings: AttemptSettings): Exchange {
  return new FetchExchange(request, settings);
}

class FetchExchange implements Exchange, ResponseHead {
  readonly head: Promise<ResponseHead>;
  readonly #controller = new AbortController();
  #response: Response | undefined;
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  #aborted = false;

  constructor(request: HttpRequest, settings: AttemptSettings) {
    const { method, url, headers, body } = request;
    this.head = settings
      .fetch(url, {
        ...settings.fetchOptions,
        method,
        headers,
        ...requestBody(body, headers, settings.releaseBody === true),
        signal: this.#controller.signal,
        redirect: REDIRECT_MODE, // refused: see redirect-mode.ts
      })
      .then((response) => {
        this.#response = response;
        // Aborted before the headers came: the answer that still arrived is dropped, its connection closed.
        if (this.#aborted) response.body?.cancel().catch(ignore);
        return this;
      });
  }

  get status(): number {
    return this.#response!.status;
  }

  header(name: string): string | null {
    return this.#response!.headers.get(name);
  }

  get headers(): Headers {
    return this.#response!.headers;
  }

  get response(): Response {
    return this.#response!;
  }

  reader(): ByteReader | undefined {
    if (this.#reader === undefined && this.#response?.body) this.#reader = this.#response.body.getReader();
    return this.#reader;
  }

  abort(): void {
    if (!this.#aborted) {
      this.#aborted = true;
      this.#controller.abort();
    }
    // Do not count on fetch to honour the signal once the headers came (see Attempt): cancel the
    // body, which ends a pending read and closes the connection through the stream.
    const body = this.#response?.body;
    if (this.#reader !== undefined) this.#reader.cancel().catch(ignore);
    else if (body && !body.locked) body.cancel().catch(ignore);
  }
}

const encoder = new TextEncoder();

/**
 * The body fields of a fetch init. A released body is a stream of one chunk: undici holds a
 * stream body only until it was written, where it keeps a string (`request.body.source`) for the
 * response's whole life. `content-length` is still sent (undici frames a stream of known length
 * with it), so the server sees the same request.
 */
function requestBody(
  body: string | FormData | undefined,
  headers: Record<string, string>,
  release: boolean,
): { body: BodyInit | null; headers?: Record<string, string>; duplex?: 'half' } {
  if (!release || typeof body !== 'string') return { body: body ?? null };
  let bytes: Uint8Array | undefined = encoder.encode(body);
  const length = String(bytes.length);
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (bytes !== undefined) controller.enqueue(bytes);
      bytes = undefined;
      controller.close();
    },
  });
  // Object.assign, not a spread followed by a key: far cheaper in V8 (once per request).
  const withLength = Object.assign({}, headers);
  withLength['content-length'] = length;
  return { body: stream, headers: withLength, duplex: 'half' };
}
