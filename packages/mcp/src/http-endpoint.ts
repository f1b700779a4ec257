import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Options of `server.listen()`. */
export interface McpListenOptions {
  /** @default 0 (a free port) */
  port?: number | undefined;
  /** @default '127.0.0.1': loopback only. Bind elsewhere only behind your own authentication. */
  host?: string | undefined;
  /** @default '/mcp' */
  path?: string | undefined;
  /**
   * Decides whether a request may reach the server (e.g. check an `authorization` header); a
   * refused request gets 401. Default: every request (loopback only, see `host`).
   */
  authorize?: ((request: IncomingMessage) => boolean | Promise<boolean>) | undefined;
}

/** A running HTTP endpoint. */
export interface McpHttpEndpoint {
  /** `http://127.0.0.1:<port>/mcp` */
  readonly url: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 4 * 1024 * 1024;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

function loopbackName(value: string): boolean {
  try {
    return LOOPBACK.has(new URL(value.includes('://') ? value : `http://${value}`).hostname);
  } catch {
    return false;
  }
}

/**
 * For a server bound to loopback, the MCP spec asks to validate `Origin` against DNS rebinding:
 * the `Host` header must name a loopback address, and so must `Origin` when a browser sends one.
 */
function fromLoopbackPage(request: IncomingMessage): boolean {
  const host = request.headers.host;
  if (host === undefined || !loopbackName(host)) return false;
  const origin = request.headers.origin;
  return origin === undefined || loopbackName(origin);
}

/** What the endpoint needs from the MCP server. */
export interface HttpTarget {
  handleRequest(request: IncomingMessage, response: ServerResponse, body?: unknown): Promise<void>;
  closeSessions(): Promise<void>;
}

/** Serves Streamable HTTP for `target` on `host:port` at `path` (loopback by default). */
export async function listenHttp(
  target: HttpTarget,
  options: McpListenOptions = {},
): Promise<McpHttpEndpoint> {
  const path = options.path ?? '/mcp';
  const host = options.host ?? '127.0.0.1';
  const loopbackOnly = LOOPBACK.has(host);
  const http = createServer((request, response) => {
    if (loopbackOnly && !fromLoopbackPage(request)) {
      // DNS rebinding: a web page whose name resolves to 127.0.0.1 must not reach the server.
      return reply(response, 403, -32000, 'Forbidden: Host and Origin must be loopback addresses.');
    }
    void serve(target, request, response, path, options.authorize).catch((error: unknown) => {
      if (!response.headersSent) reply(response, 500, -32603, `Internal error: ${(error as Error).message}`);
      else response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}${path}`,
    close: async () => {
      await target.closeSessions();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

async function serve(
  target: HttpTarget,
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  authorize: McpListenOptions['authorize'],
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (url.pathname !== path) return reply(response, 404, -32000, `Not found: the MCP endpoint is ${path}.`);
  if (authorize !== undefined && !(await authorize(request))) {
    return reply(response, 401, -32000, 'Unauthorized.');
  }
  let body: unknown;
  if (request.method === 'POST') {
    const text = await readBody(request);
    if (text === undefined) return reply(response, 413, -32000, `Request body over ${MAX_BODY_BYTES} bytes.`);
    try {
      body = JSON.parse(text);
    } catch {
      return reply(response, 400, -32700, 'Parse error: the body is not JSON.');
    }
  }
  await target.handleRequest(request, response, body);
}

export function reply(response: ServerResponse, status: number, code: number, message: string): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

function readBody(request: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(undefined);
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
