import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { McpHttpOptions, McpOptions, McpStdioOptions } from './options.js';

/** Live stdio children of this process: killed when it exits, so none outlives its parent. */
const children = new Set<StdioClientTransport>();
let exitHookInstalled = false;

function killChildren(): void {
  for (const transport of children) {
    const pid = transport.pid;
    if (pid === null) continue;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  children.clear();
}

/** Tracks a started stdio transport until it closes. */
export function trackChild(transport: StdioClientTransport): () => void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // 'exit' handlers must be synchronous: a signal is all that can be sent.
    process.on('exit', killChildren);
  }
  children.add(transport);
  return () => children.delete(transport);
}

export function isStdio(options: McpOptions): options is McpStdioOptions {
  return typeof (options as Partial<McpStdioOptions>).command === 'string';
}

/** A transport for a stdio server: the SDK's, with a minimal inherited environment. */
export function stdioTransport(options: McpStdioOptions): StdioClientTransport {
  return new StdioClientTransport({
    command: options.command,
    args: [...(options.args ?? [])],
    ...(options.env === undefined ? {} : { env: { ...options.env } }),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    stderr: options.stderr ?? 'inherit',
  });
}

function requestInit(options: McpHttpOptions): RequestInit | undefined {
  return options.headers === undefined ? undefined : { headers: { ...options.headers } };
}

/** A Streamable HTTP transport (the current MCP transport). */
export function streamableTransport(options: McpHttpOptions, url: URL): StreamableHTTPClientTransport {
  const init = requestInit(options);
  return new StreamableHTTPClientTransport(url, {
    ...(init === undefined ? {} : { requestInit: init }),
    ...(options.authProvider === undefined ? {} : { authProvider: options.authProvider }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
}

/** A legacy HTTP+SSE transport (protocol 2024-11-05), for servers that predate Streamable HTTP. */
export function sseTransport(options: McpHttpOptions, url: URL): SSEClientTransport {
  const init = requestInit(options);
  return new SSEClientTransport(url, {
    ...(init === undefined ? {} : { requestInit: init }),
    ...(options.authProvider === undefined ? {} : { authProvider: options.authProvider }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
}

/**
 * Whether a failed Streamable HTTP connect means "this server only speaks legacy SSE": the MCP
 * spec's backwards-compatibility rule is a 4xx answer to the initialize POST (400, 404 or 405).
 */
export function wantsLegacySse(error: unknown): boolean {
  return (
    error instanceof StreamableHTTPError && (error.code === 400 || error.code === 404 || error.code === 405)
  );
}

/**
 * Whether a request failed because the server expired the session: the spec answers 404 to a
 * request with an unknown `Mcp-Session-Id`, and the client must initialize a new session.
 */
export function sessionExpired(error: unknown): boolean {
  return error instanceof StreamableHTTPError && error.code === 404;
}

export type { Transport };
