/**
 * What `toNodeListener` needs of Node's `IncomingMessage` and `ServerResponse`, written out so that
 * this module imports nothing from `node:` (the web entry point stays runtime-neutral).
 */
export interface NodeRequestLike extends AsyncIterable<Uint8Array> {
  method?: string | undefined;
  url?: string | undefined;
  headers: Record<string, string | string[] | undefined>;
}

export interface NodeResponseLike {
  readonly writableFinished: boolean;
  writeHead(status: number, headers: Record<string, string>): unknown;
  write(chunk: Uint8Array): boolean;
  end(chunk?: string): unknown;
  destroy(): unknown;
  on(event: 'close', listener: () => void): unknown;
  once(event: 'drain', listener: () => void): unknown;
}

/**
 * Serves a web-standard handler from `node:http`: `createServer(toNodeListener(handler))`. The
 * request body streams in, the response body streams out, and a client that goes away aborts the
 * request's signal and cancels the response body (which aborts an agent run streaming into it).
 */
export function toNodeListener(handler: (request: Request) => Promise<Response>) {
  return async (req: NodeRequestLike, res: NodeResponseLike): Promise<void> => {
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort(new Error('The client disconnected.'));
    });
    const method = req.method ?? 'GET';
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (Array.isArray(value)) for (const item of value) headers.append(name, item);
      else if (value !== undefined) headers.set(name, value);
    }
    let body: ReadableStream<Uint8Array> | undefined;
    if (method !== 'GET' && method !== 'HEAD') {
      const chunks = req[Symbol.asyncIterator]();
      body = new ReadableStream<Uint8Array>({
        async pull(stream) {
          const { done, value } = await chunks.next();
          if (done) stream.close();
          else stream.enqueue(value);
        },
        async cancel() {
          await chunks.return?.();
        },
      });
    }
    const host = typeof req.headers.host === 'string' ? req.headers.host : '127.0.0.1';
    const request = new Request(`http://${host}${req.url ?? '/'}`, {
      method,
      headers,
      body,
      signal: controller.signal,
      ...(body === undefined ? {} : { duplex: 'half' }),
    } as RequestInit);
    let response: Response;
    try {
      response = await handler(request);
    } catch {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"error":"Internal error."}');
      return;
    }
    const outHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      outHeaders[name] = value;
    });
    res.writeHead(response.status, outHeaders);
    if (response.body === null) {
      res.end();
      return;
    }
    const reader = response.body.getReader();
    controller.signal.addEventListener('abort', () => void reader.cancel().catch(() => {}), { once: true });
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (!res.write(value)) await new Promise<void>((resolve) => res.once('drain', resolve));
      }
      res.end();
    } catch {
      res.destroy();
    }
  };
}
