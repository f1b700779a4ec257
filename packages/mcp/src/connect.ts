import { MAX_TOOL_NAME_LENGTH } from '@plumb/tools';
import { McpConnection } from './connection.js';
import { McpConfigError } from './errors.js';
import type { McpHttpOptions, McpOptions } from './options.js';

const NAME = /^[a-zA-Z0-9_-]+$/;

function checkOptions(options: McpOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new McpConfigError(
      '',
      'options',
      "expected { name, command, args } or { name, url }, e.g. connectMcp({ name: 'fs', command: 'npx', args: [...] }).",
    );
  }
  const name = options.name;
  if (typeof name !== 'string' || !NAME.test(name) || name.length > MAX_TOOL_NAME_LENGTH) {
    throw new McpConfigError(
      '',
      'name',
      `expected ${MAX_TOOL_NAME_LENGTH} characters at most of letters, digits, "_" and "-" (it prefixes the tool names), got ${JSON.stringify(name)}.`,
    );
  }
  const hasCommand = 'command' in options && options.command !== undefined;
  const hasUrl = 'url' in options && (options as McpHttpOptions).url !== undefined;
  if (hasCommand === hasUrl) {
    throw new McpConfigError(
      name,
      hasCommand ? 'url' : 'command',
      'give either `command` (a stdio server) or `url` (a remote server), not both or neither.',
    );
  }
  if (hasCommand && (typeof options.command !== 'string' || options.command === '')) {
    throw new McpConfigError(name, 'command', 'expected the program to start, e.g. "node" or "npx".');
  }
  if (options.prefix !== undefined && typeof options.prefix !== 'boolean') {
    if (typeof options.prefix !== 'string' || !NAME.test(options.prefix)) {
      throw new McpConfigError(
        name,
        'prefix',
        'expected true, false or a string of letters, digits, "_" and "-".',
      );
    }
  }
  for (const option of ['timeoutMs', 'connectTimeoutMs', 'maxResultChars'] as const) {
    const value = options[option];
    if (value !== undefined && !(typeof value === 'number' && value > 0)) {
      throw new McpConfigError(name, option, `expected a positive number, got ${String(value)}.`);
    }
  }
  for (const option of ['include', 'exclude'] as const) {
    const value = options[option];
    if (value !== undefined && typeof value !== 'function' && !Array.isArray(value)) {
      throw new McpConfigError(
        name,
        option,
        'expected an array of tool names (or RegExps), or a function (tool) => boolean.',
      );
    }
  }
}

/**
 * Connects to an MCP server and returns a connection that goes into an agent's `tools` like a
 * tool pack. `command` starts a stdio server (a child process that never outlives the connection
 * or this process); `url` reaches a remote one over Streamable HTTP (falling back to legacy SSE).
 *
 * @example
 * const fsServer = await connectMcp({ name: 'fs', command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', dir] });
 * const agent = new Agent({ tools: [fsServer] }); // fs_read_file, fs_list_directory, ...
 * await fsServer.close();
 *
 * @throws McpConfigError for invalid options, McpConnectionError when the server cannot be
 * started or reached, McpToolSetError when its tools cannot be offered to DeepSeek as they are.
 */
export async function connectMcp(options: McpOptions): Promise<McpConnection> {
  checkOptions(options);
  const connection = new McpConnection(options);
  try {
    return await connection.open();
  } catch (error) {
    await connection.close().catch(() => {});
    throw error;
  }
}
