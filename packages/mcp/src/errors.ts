import { PlumbError } from '@plumb/core';

const MCP_ERROR = Symbol.for('@plumb/mcp.error');

/** Base class of the errors @plumb/mcp throws (a `PlumbError`, the root of all plumb errors). */
export class McpError extends PlumbError {
  /** The server (`options.name`) the error is about. */
  readonly server: string;

  constructor(server: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.server = server;
    Object.defineProperty(this, MCP_ERROR, { value: true });
  }

  /** True for any @plumb/mcp error, even one created by another copy of the package. */
  static isInstance(value: unknown): value is McpError {
    return (
      typeof value === 'object' && value !== null && (value as { [MCP_ERROR]?: unknown })[MCP_ERROR] === true
    );
  }
}

/** `connectMcp()` options are invalid: the message names the option and the fix. */
export class McpConfigError extends McpError {
  declare readonly name: 'McpConfigError';
  readonly option: string;

  constructor(server: string, option: string, message: string) {
    super(
      server,
      `Invalid connectMcp option \`${option}\`${server === '' ? '' : ` (server "${server}")`}: ${message}`,
    );
    this.option = option;
  }
}

/** The server could not be started, reached or initialized; or it went away. */
export class McpConnectionError extends McpError {
  declare readonly name: 'McpConnectionError';
}

/**
 * The server's tools cannot be offered to DeepSeek as they are: more than 128, or (with
 * `strict: true`) schemas outside DeepSeek's strict subset. The message names the option to use.
 */
export class McpToolSetError extends McpError {
  declare readonly name: 'McpToolSetError';
  /** For strict mode: each tool whose schema does not fit, and why. */
  readonly problems: readonly { readonly tool: string; readonly reason: string }[];

  constructor(server: string, message: string, problems: McpToolSetError['problems'] = []) {
    super(server, message);
    this.problems = problems;
  }
}

/** A tool call the server answered with `isError: true`, or a call that failed on the way. */
export class McpToolCallError extends McpError {
  declare readonly name: 'McpToolCallError';
  /** The tool's name on the server. */
  readonly tool: string;

  constructor(server: string, tool: string, message: string, options?: { cause?: unknown }) {
    super(server, message, options);
    this.tool = tool;
  }
}
