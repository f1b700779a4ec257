import type { Readable } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { type AnyTool, type DynamicToolPack, dynamicToolPack, type ToolContext } from '@plumb/tools';
import { McpConnectionError, McpError, McpToolCallError } from './errors.js';
import { buildTools } from './mcp-tools.js';
import type { McpHttpOptions, McpOptions, McpToolInfo } from './options.js';
import { allPages } from './paginate.js';
import { type McpPromptMessage, promptMessages } from './prompts.js';
import type {
  McpPrompt,
  McpPromptResult,
  McpResource,
  McpResourceContent,
  McpResourceTemplate,
} from './resource-types.js';
import { type McpCallResult, toToolResult } from './results.js';
import {
  isStdio,
  sessionExpired,
  sseTransport,
  stdioTransport,
  streamableTransport,
  type Transport,
  trackChild,
  wantsLegacySse,
} from './transports.js';

const CLIENT_INFO = { name: 'plumb', version: '0.1.0' };

/** The MCP SDK's default request timeout. */
const DEFAULT_TIMEOUT_MS = 60_000;

interface Session {
  client: Client;
  transport: Transport;
  untrack: () => void;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Races a promise against a timeout that rejects with `error()`. */
function within<T>(promise: Promise<T>, ms: number, error: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(error()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A live connection to one MCP server, usable where a tool pack is (`new Agent({ tools: [conn] })`).
 * Its `tools` are the server's tools made DeepSeek-safe; they change when the server sends
 * `tools/list_changed` (an agent picks the change up at its next step). Close it with `close()`:
 * a stdio server's process is stopped (and is killed if this process exits first).
 */
export class McpConnection implements DynamicToolPack {
  readonly kind = 'tool-pack' as const;
  readonly name: string;
  #description = '';
  #tools: readonly AnyTool[] = [];
  #revision = 0;
  #session: Session | undefined;
  #reconnecting: Promise<Session> | undefined;
  #refreshing: Promise<void> | undefined;
  #closed = false;
  #lostReason: string | undefined;
  readonly #options: McpOptions;

  /** @internal Use `connectMcp()`. */
  constructor(options: McpOptions) {
    this.#options = options;
    this.name = options.name;
  }

  /** The server's name and version, and its instructions when it sent any. */
  get description(): string {
    return this.#description;
  }

  /** The server's tools as plumb tools (sanitized, prefixed, filtered, in a stable order). */
  get tools(): readonly AnyTool[] {
    return this.#tools;
  }

  /** Increases whenever `tools` changed (after `tools/list_changed`). */
  get revision(): number {
    return this.#revision;
  }

  /** The MCP SDK client, for anything this class does not wrap. Replaced after a session re-init. */
  get client(): Client {
    return this.#live().client;
  }

  /** The child's stderr when connected with `stderr: 'pipe'`; otherwise null. */
  get stderr(): Readable | null {
    const transport = this.#session?.transport as StdioClientTransport | undefined;
    return (transport?.stderr as Readable | null | undefined) ?? null;
  }

  /** The stdio child's process id (null for remote servers or once closed). */
  get pid(): number | null {
    const transport = this.#session?.transport as StdioClientTransport | undefined;
    return typeof transport?.pid === 'number' ? transport.pid : null;
  }

  /** @internal Connects, initializes and lists the tools. */
  async open(): Promise<this> {
    this.#session = await this.#connect();
    await this.#loadTools();
    dynamicToolPack(this);
    return this;
  }

  /** Resolves once a `tools/list_changed` already received has been applied (agents await it per step). */
  async settled(): Promise<void> {
    await this.#refreshing;
  }

  /** Lists the tools again now (normally done for you on `tools/list_changed`). */
  async refreshTools(): Promise<readonly AnyTool[]> {
    await this.#loadTools();
    return this.#tools;
  }

  /** Every resource the server lists (all pages). */
  async listResources(): Promise<McpResource[]> {
    return allPages(async (cursor) => {
      const page = await this.#live().client.listResources(cursor === undefined ? {} : { cursor });
      return { items: page.resources as McpResource[], nextCursor: page.nextCursor };
    });
  }

  /** Every resource template the server lists (all pages). */
  async listResourceTemplates(): Promise<McpResourceTemplate[]> {
    return allPages(async (cursor) => {
      const page = await this.#live().client.listResourceTemplates(cursor === undefined ? {} : { cursor });
      return { items: page.resourceTemplates as McpResourceTemplate[], nextCursor: page.nextCursor };
    });
  }

  /** Reads one resource (a listed URI, or one built from a template). */
  async readResource(uri: string, options?: { signal?: AbortSignal }): Promise<McpResourceContent[]> {
    const result = await this.#live().client.readResource(
      { uri },
      options?.signal ? { signal: options.signal } : {},
    );
    return result.contents as McpResourceContent[];
  }

  /** Every prompt the server lists (all pages). */
  async listPrompts(): Promise<McpPrompt[]> {
    return allPages(async (cursor) => {
      const page = await this.#live().client.listPrompts(cursor === undefined ? {} : { cursor });
      return { items: page.prompts as McpPrompt[], nextCursor: page.nextCursor };
    });
  }

  /**
   * Fills in a prompt on the server and returns its messages as DeepSeek chat messages, ready to
   * send (`agent.run([...prompt.messages, ...])`): text as text, images as image parts of user
   * messages, embedded resources as their text.
   */
  async getPrompt(name: string, args: Record<string, string> = {}): Promise<McpPromptResult> {
    const result = await this.#live().client.getPrompt({ name, arguments: args });
    return {
      description: result.description,
      messages: promptMessages(
        result.messages as unknown as McpPromptMessage[],
        this.#options.images !== false,
      ),
    };
  }

  /**
   * Closes the connection: pending calls fail, a stdio server's stdin is closed and the process
   * stopped (SIGTERM, then SIGKILL after 2 s: the MCP SDK's shutdown). Safe to call twice.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const session = this.#session;
    this.#session = undefined;
    if (session !== undefined) await this.#end(session);
  }

  async #end(session: Session): Promise<void> {
    try {
      // A Streamable HTTP session is ended on the server too (DELETE), as the spec asks.
      const transport = session.transport as { terminateSession?: () => Promise<void> };
      if (typeof transport.terminateSession === 'function')
        await transport.terminateSession().catch(() => {});
      await session.client.close();
    } finally {
      session.untrack();
    }
  }

  #live(): Session {
    if (this.#closed)
      throw new McpConnectionError(this.name, `The connection to MCP server "${this.name}" is closed.`);
    const session = this.#session;
    if (session === undefined || this.#lostReason !== undefined) {
      throw new McpConnectionError(
        this.name,
        `MCP server "${this.name}" is not connected any more (${this.#lostReason ?? 'the connection closed'}). Connect again with connectMcp().`,
      );
    }
    return session;
  }

  #newClient(): Client {
    const client = new Client(this.#options.clientInfo ?? CLIENT_INFO, { capabilities: {} });
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      // One refresh after another: a slow older listing must never overwrite a newer one.
      this.#refreshing = (this.#refreshing ?? Promise.resolve())
        .then(() => this.#loadTools())
        .catch((error: unknown) => {
          this.#options.onError?.(error instanceof Error ? error : new Error(String(error)));
        });
    });
    return client;
  }

  async #connect(): Promise<Session> {
    const options = this.#options;
    const timeoutMs = options.connectTimeoutMs ?? 30_000;
    const timeout = () =>
      new McpConnectionError(
        this.name,
        `MCP server "${this.name}" did not finish initializing within ${timeoutMs} ms.`,
      );
    if (isStdio(options)) {
      const transport = stdioTransport(options);
      const client = this.#newClient();
      try {
        await within(client.connect(transport), timeoutMs, timeout);
      } catch (error) {
        await client.close().catch(() => {});
        throw this.#connectError(error, `could not start "${options.command}"`);
      }
      const session = { client, transport, untrack: trackChild(transport) };
      this.#watch(session);
      return session;
    }
    const http = options as McpHttpOptions;
    let url: URL;
    try {
      url = new URL(http.url);
    } catch {
      throw new McpConnectionError(
        this.name,
        `MCP server "${this.name}": url ${JSON.stringify(String(http.url))} is not a valid URL.`,
      );
    }
    const mode = http.transport ?? 'auto';
    if (mode !== 'sse') {
      const client = this.#newClient();
      const transport = streamableTransport(http, url);
      try {
        await within(client.connect(transport), timeoutMs, timeout);
        const session = { client, transport, untrack: () => {} };
        this.#watch(session);
        return session;
      } catch (error) {
        await client.close().catch(() => {});
        if (mode === 'streamable-http' || !wantsLegacySse(error))
          throw this.#connectError(error, `could not reach ${url.origin}`);
      }
    }
    const client = this.#newClient();
    const transport = sseTransport(http, url);
    try {
      await within(client.connect(transport), timeoutMs, timeout);
    } catch (error) {
      await client.close().catch(() => {});
      throw this.#connectError(error, `could not reach ${url.origin} (legacy SSE)`);
    }
    const session = { client, transport, untrack: () => {} };
    this.#watch(session);
    return session;
  }

  #connectError(error: unknown, what: string): McpError {
    if (McpError.isInstance(error)) return error;
    return new McpConnectionError(this.name, `MCP server "${this.name}": ${what}: ${message(error)}`, {
      cause: error,
    });
  }

  /** Notes when the session goes away by itself (a crashed stdio server, a dropped connection). */
  #watch(session: Session): void {
    session.client.onclose = () => {
      if (this.#closed || this.#session !== session) return;
      if (isStdio(this.#options)) this.#lostReason = 'its process exited';
      session.untrack();
    };
    session.client.onerror = (error) => this.#options.onError?.(error);
    const server = session.client.getServerVersion();
    const instructions = session.client.getInstructions();
    this.#description = [
      `MCP server "${this.name}"${server ? ` (${server.name} ${server.version})` : ''}`,
      instructions,
    ]
      .filter(Boolean)
      .join(': ');
  }

  async #loadTools(): Promise<void> {
    const { client } = this.#live();
    const infos = await allPages(async (cursor) => {
      const page = await client.listTools(cursor === undefined ? {} : { cursor });
      return { items: page.tools as McpToolInfo[], nextCursor: page.nextCursor };
    });
    const tools = buildTools(infos, this.#options, (info, args, context) => this.#call(info, args, context));
    const before = JSON.stringify(this.#tools.map((tool) => tool.definition));
    const after = JSON.stringify(tools.map((tool) => tool.definition));
    if (before === after && this.#tools.length > 0) return;
    const first = this.#tools.length === 0 && this.#revision === 0;
    this.#tools = Object.freeze(tools);
    this.#revision++;
    if (!first) this.#options.onToolsChanged?.(this.#tools);
  }

  async #call(info: McpToolInfo, args: Record<string, unknown>, context: ToolContext): Promise<unknown> {
    const result = await this.#request(info, args, context, true);
    return toToolResult(this.name, info.name, result as McpCallResult, this.#options.images !== false);
  }

  async #request(
    info: McpToolInfo,
    args: Record<string, unknown>,
    context: ToolContext,
    retry: boolean,
  ): Promise<unknown> {
    const session = this.#live();
    const configured = this.#options.tools?.[info.name]?.timeoutMs ?? this.#options.timeoutMs;
    try {
      return await session.client.callTool({ name: info.name, arguments: args }, undefined, {
        signal: context.signal,
        // A configured timeout is plumb's (its message is clearer): the SDK's fires a second later.
        // Without one, the agent's toolTimeoutMs applies, and the SDK's 60 s default at the latest.
        timeout: configured === undefined ? DEFAULT_TIMEOUT_MS : configured + 1_000,
        onprogress: (progress) =>
          context.progress?.({
            progress: progress.progress,
            total: progress.total,
            message: progress.message,
          }),
      });
    } catch (error) {
      if (context.signal.aborted) throw error; // already answered as cancelled or timed out
      if (retry && sessionExpired(error) && !isStdio(this.#options)) {
        await this.#reinitialize(session);
        return this.#request(info, args, context, false);
      }
      throw this.#callError(info, error);
    }
  }

  /** The server expired the Streamable HTTP session: start a new one (once for all waiting calls). */
  async #reinitialize(expired: Session): Promise<void> {
    if (this.#session !== expired) return;
    this.#reconnecting ??= (async () => {
      await expired.client.close().catch(() => {});
      return this.#connect();
    })();
    try {
      const session = await this.#reconnecting;
      if (!this.#closed) this.#session = session;
      else await this.#end(session);
    } finally {
      this.#reconnecting = undefined;
    }
  }

  #callError(info: McpToolInfo, error: unknown): Error {
    if (McpError.isInstance(error)) return error;
    const text = message(error);
    const lost = this.#lostReason !== undefined || /connection closed/i.test(text);
    const detail = lost
      ? `MCP server "${this.name}" went away during the call (${this.#lostReason ?? 'the connection closed'}); whether the call took effect is unknown`
      : `MCP server "${this.name}" failed the call: ${text}`;
    return new McpToolCallError(this.name, info.name, detail, { cause: error });
  }
}
