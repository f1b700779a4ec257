import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  CallToolRequestSchema,
  isInitializeRequest,
  ListToolsRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { Agent } from '@plumb/agent';
import { type AnyTool, isTool, isToolPack, type ToolPack, ToolResultContent } from '@plumb/tools';
import { approvalCheckFailedText, unknownToolText } from '@plumb/tools/internal';
import { McpConfigError } from './errors.js';
import { listenHttp, type McpHttpEndpoint, type McpListenOptions, reply } from './http-endpoint.js';

/** What a plumb MCP server can expose: tools, packs, and whole agents (each as one tool). */
export type McpServerItem = AnyTool | ToolPack | Agent<never> | Agent;

/** Options of `createMcpServer()`. */
export interface McpServerOptions {
  /** The server's name, as MCP clients show it. */
  name: string;
  /** The server's version. @default '0.1.0' */
  version?: string | undefined;
  /** Instructions MCP clients may show their model. */
  instructions?: string | undefined;
  /**
   * Tools, tool packs and agents. An agent becomes one tool (`agent.asTool()`) named after the
   * agent, taking `{ input }`.
   */
  tools: readonly McpServerItem[];
  /** Default timeout of a call in milliseconds (a tool's own `timeoutMs` wins). */
  timeoutMs?: number | undefined;
}

/** The SDK server and notifier of the tool call running now (for `setTools` called inside one). */
const callScope = new AsyncLocalStorage<{
  server: Server;
  notify: (notification: { method: 'notifications/tools/list_changed' }) => Promise<void>;
}>();

function toItems(items: readonly McpServerItem[]): Array<AnyTool | ToolPack> {
  return items.map((item) =>
    item instanceof Agent
      ? item.asTool({
          description: `Ask the "${item.name}" agent: give it the whole task in "input"; it answers with its result.`,
        })
      : (item as AnyTool | ToolPack),
  );
}

/** A content part of a plumb result as an MCP content block. */
function toBlocks(value: unknown, content: string): Array<Record<string, unknown>> {
  if (!ToolResultContent.isInstance(value) || !value.hasImages) return [{ type: 'text', text: content }];
  return value.parts.map((part) => {
    if (part.type === 'image_url') {
      const match = /^data:([^;,]+);base64,(.*)$/s.exec(part.image_url.url);
      if (match !== null) return { type: 'image', mimeType: match[1], data: match[2] };
      return { type: 'text', text: `[image ${part.image_url.url}]` };
    }
    return { type: 'text', text: part.type === 'text' ? part.text : '[file]' };
  });
}

function refusal(text: string) {
  return { content: [{ type: 'text' as const, text }], isError: true };
}

/**
 * plumb tools served over MCP (the official SDK's server), so Claude Desktop, Cursor or any MCP
 * client can call them. Arguments are validated by the tools themselves (as for DeepSeek), calls
 * get the client's cancellation, and progress reports become `notifications/progress`. A tool
 * that needs approval asks the user through MCP elicitation when the client supports it, and is
 * refused with a clear message when it does not.
 */
export class PlumbMcpServer {
  readonly #options: McpServerOptions;
  #set: ServedTools;
  readonly #servers = new Set<Server>();
  readonly #sessions = new Map<string, StreamableHTTPServerTransport>();

  /** @internal Use `createMcpServer()`. */
  constructor(options: McpServerOptions) {
    this.#options = options;
    this.#set = this.#resolve(options.tools);
  }

  /** The tools the server offers, in order. */
  get tools(): readonly AnyTool[] {
    return this.#set.tools;
  }

  /** Replaces the tools and tells every connected client (`notifications/tools/list_changed`). */
  async setTools(items: readonly McpServerItem[]): Promise<void> {
    this.#set = this.#resolve(items);
    // Called from inside a tool call: that client hears of it on the call's own stream, before
    // the call's result (on Streamable HTTP the standalone stream is not ordered with it).
    const current = callScope.getStore();
    await Promise.all(
      [...this.#servers].map((server) =>
        (current?.server === server
          ? current.notify({ method: 'notifications/tools/list_changed' })
          : server.sendToolListChanged()
        ).catch(() => {}),
      ),
    );
  }

  /** A new SDK server for one client session. */
  createSdkServer(): Server {
    const server = new Server(
      { name: this.#options.name, version: this.#options.version ?? '0.1.0' },
      {
        capabilities: { tools: { listChanged: true } },
        ...(this.#options.instructions === undefined ? {} : { instructions: this.#options.instructions }),
      },
    );
    server.setRequestHandler(ListToolsRequestSchema, () => ({
      tools: this.#set.tools.map((tool) => ({
        name: tool.name,
        description: tool.description,
        inputSchema: tool.definition.function.parameters as { type: 'object' },
        annotations: { destructiveHint: tool.needsApproval !== false, readOnlyHint: false },
      })),
    }));
    server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
      const name = request.params.name;
      const tool = this.#set.get(name);
      if (tool === undefined) {
        return refusal(unknownToolText(name, this.#set.names));
      }
      const callId = `mcp_${String(extra.requestId)}`;
      const parsed = await tool.parseArguments(JSON.stringify(request.params.arguments ?? {}), { callId });
      if (!parsed.ok) return refusal(parsed.content);
      let approved = true;
      try {
        approved = !(await tool.requiresApproval(parsed.args, {
          callId,
          toolName: tool.name,
          data: undefined,
        }));
      } catch (error) {
        return refusal(approvalCheckFailedText(tool.name, (error as Error).message));
      }
      if (!approved) {
        const refused = await this.#askApproval(server, tool, parsed.args);
        if (refused !== undefined) return refusal(refused);
      }
      const token = request.params._meta?.progressToken;
      const scope = { server, notify: extra.sendNotification };
      const outcome = await callScope.run(scope, () =>
        tool.run(parsed.args, {
          callId,
          signal: extra.signal,
          timeoutMs: this.#options.timeoutMs,
          onProgress:
            token === undefined
              ? undefined
              : (update) => {
                  void extra
                    .sendNotification({
                      method: 'notifications/progress',
                      params: {
                        progressToken: token,
                        progress: update.progress,
                        ...(update.total === undefined ? {} : { total: update.total }),
                        ...(update.message === undefined ? {} : { message: update.message }),
                      },
                    })
                    .catch(() => {});
                },
        }),
      );
      if (!outcome.ok) return refusal(outcome.content);
      return { content: toBlocks(outcome.value, outcome.content) } as {
        content: Array<{ type: 'text'; text: string }>;
      };
    });
    this.#servers.add(server);
    server.onclose = () => this.#servers.delete(server);
    return server;
  }

  /** Asks the user through elicitation; returns why the call is refused, or undefined to run it. */
  async #askApproval(server: Server, tool: AnyTool, args: unknown): Promise<string | undefined> {
    if (server.getClientCapabilities()?.elicitation === undefined) {
      return `Tool "${tool.name}" needs a person's approval before it runs, and this MCP client does not support elicitation (the MCP request that asks the user), so the call was refused. Use a client that supports elicitation, or ask the server's owner to expose the tool without needsApproval.`;
    }
    try {
      const answer = await server.elicitInput({
        mode: 'form',
        message: `Allow the tool "${tool.name}" to run with these arguments?\n${JSON.stringify(args, null, 2)}`,
        requestedSchema: {
          type: 'object',
          properties: { approve: { type: 'boolean', title: 'Approve', description: `Run ${tool.name} now` } },
          required: ['approve'],
        },
      });
      if (answer.action === 'accept' && answer.content?.approve === true) return undefined;
      return `The user did not approve the call of tool "${tool.name}" (${answer.action === 'accept' ? 'not approved' : answer.action}). Do not retry it unchanged.`;
    } catch (error) {
      return `Approval for tool "${tool.name}" could not be asked: ${(error as Error).message}. The call was refused.`;
    }
  }

  /** Serves one client over this process's stdin and stdout (how Claude Desktop starts servers). */
  async connectStdio(): Promise<void> {
    await this.createSdkServer().connect(new StdioServerTransport());
  }

  /**
   * Handles one Streamable HTTP request (POST, GET or DELETE on the endpoint path), with one
   * session per client. A request with an unknown `Mcp-Session-Id` gets 404, as the spec says,
   * so clients start a new session. Mount it in your own server, or use `listen()`.
   */
  async handleRequest(request: IncomingMessage, response: ServerResponse, body?: unknown): Promise<void> {
    const id = request.headers['mcp-session-id'];
    const sessionId = Array.isArray(id) ? id[0] : id;
    if (sessionId !== undefined) {
      const transport = this.#sessions.get(sessionId);
      if (transport === undefined)
        return reply(response, 404, -32001, 'Session not found: initialize a new session.');
      await transport.handleRequest(request, response, body);
      return;
    }
    if (request.method !== 'POST' || !isInitializeRequest(body)) {
      return reply(
        response,
        400,
        -32000,
        'Bad request: no Mcp-Session-Id, and the request is not an initialize request.',
      );
    }
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (newId) => {
        this.#sessions.set(newId, transport);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId !== undefined) this.#sessions.delete(transport.sessionId);
    };
    await this.createSdkServer().connect(transport);
    await transport.handleRequest(request, response, body);
  }

  /**
   * Ends every HTTP session (their next request gets 404 and the client starts a new session), as
   * a server does when it restarts or expires sessions.
   */
  async closeSessions(): Promise<void> {
    const transports = [...this.#sessions.values()];
    this.#sessions.clear();
    await Promise.all(transports.map((transport) => transport.close().catch(() => {})));
  }

  /** Serves Streamable HTTP on `host:port` at `path` (loopback by default). */
  listen(options: McpListenOptions = {}): Promise<McpHttpEndpoint> {
    return listenHttp(this, options);
  }

  /** Closes every session and SDK server. */
  async close(): Promise<void> {
    await this.closeSessions();
    await Promise.all([...this.#servers].map((server) => server.close().catch(() => {})));
  }

  /** Flattens the items; unlike an agent's tools, an MCP server is not bound by DeepSeek's 128. */
  #resolve(items: readonly McpServerItem[]): ServedTools {
    const fail = (message: string): never => {
      throw new McpConfigError(this.#options.name, 'tools', message);
    };
    if (!Array.isArray(items)) fail('expected an array of tools, tool packs and agents.');
    const byName = new Map<string, AnyTool>();
    toItems(items).forEach((item, index) => {
      const tools = isToolPack(item) ? item.tools : isTool(item) ? [item] : undefined;
      if (tools === undefined)
        fail(`tools[${index}] is not a tool (tool()), a tool pack (toolPack()) or an Agent.`);
      for (const entry of tools ?? []) {
        if (byName.has(entry.name))
          fail(
            `two tools are named "${entry.name}"; MCP needs unique names. Rename one, or give a pack a prefix.`,
          );
        byName.set(entry.name, entry);
      }
    });
    return { tools: [...byName.values()], names: [...byName.keys()], get: (name) => byName.get(name) };
  }
}

interface ServedTools {
  readonly tools: readonly AnyTool[];
  readonly names: readonly string[];
  get(name: string): AnyTool | undefined;
}

/**
 * Exposes plumb tools, packs or agents as an MCP server. Serve it with `connectStdio()` (a
 * command Claude Desktop or Cursor starts) or over Streamable HTTP with `listen()` /
 * `handleRequest()`.
 *
 * @example
 * const server = createMcpServer({ name: 'weather', tools: [getWeather, researcher] });
 * await server.connectStdio();
 */
export function createMcpServer(options: McpServerOptions): PlumbMcpServer {
  if (
    typeof options !== 'object' ||
    options === null ||
    typeof options.name !== 'string' ||
    options.name === ''
  ) {
    throw new McpConfigError(
      '',
      'name',
      "createMcpServer() needs { name, tools }, e.g. createMcpServer({ name: 'weather', tools: [getWeather] }).",
    );
  }
  return new PlumbMcpServer(options);
}
