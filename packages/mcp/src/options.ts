import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type { JsonSchema } from '@plumb/core';
import type { AnyTool, ApprovalPredicate } from '@plumb/tools';

/** A tool as the MCP server lists it (the parts plumb reads). */
export interface McpToolInfo {
  /** The tool's name on the server (before sanitizing and prefixing). */
  readonly name: string;
  readonly title?: string | undefined;
  readonly description?: string | undefined;
  readonly inputSchema: JsonSchema;
  readonly annotations?:
    | {
        readonly title?: string | undefined;
        readonly readOnlyHint?: boolean | undefined;
        readonly destructiveHint?: boolean | undefined;
        readonly idempotentHint?: boolean | undefined;
        readonly openWorldHint?: boolean | undefined;
      }
    | undefined;
}

/** Which tools to keep: names on the server (exact), regular expressions, or a function. */
export type McpToolFilter = ReadonlyArray<string | RegExp> | ((tool: McpToolInfo) => boolean);

/** Per-tool settings, keyed by the tool's name on the server; they win over the MCP hints. */
export interface McpToolOverride {
  /** Default: `true` when the server marks the tool `destructiveHint: true`, else false. */
  needsApproval?: boolean | ApprovalPredicate<unknown> | undefined;
  /** Default: `true` when the server marks the tool `readOnlyHint: true`, else false (runs alone). */
  parallel?: boolean | undefined;
  /** Timeout of one call in milliseconds (the connection's `timeoutMs` otherwise). */
  timeoutMs?: number | undefined;
  /** Replaces the server's description (what the model reads). */
  description?: string | undefined;
}

/** Options every transport shares. */
export interface McpBaseOptions {
  /**
   * The server's name: `[a-zA-Z0-9_-]`, at most 64 characters. It names the pack, prefixes the
   * tool names (`fs_read_file`) and appears in every error.
   */
  name: string;
  /**
   * The prefix of the tool names the model sees: `true` (the default) -> `${name}_`, a string ->
   * `${prefix}_`, `false` -> the server's names as they are (sanitized).
   */
  prefix?: boolean | string | undefined;
  /** Keep only these tools (names on the server, patterns, or a predicate). Default: all. */
  include?: McpToolFilter | undefined;
  /** Leave these tools out (applied after `include`). */
  exclude?: McpToolFilter | undefined;
  /**
   * DeepSeek strict mode for every tool of the server. Strict mode is all-or-nothing per request,
   * so connecting fails with an `McpToolSetError` listing each tool whose schema does not fit
   * DeepSeek's strict subset (and why), unless you `exclude` them. Default false.
   */
  strict?: boolean | undefined;
  /** Per-tool settings by name on the server (approval, parallelism, timeout, description). */
  tools?: Readonly<Record<string, McpToolOverride>> | undefined;
  /**
   * Timeout of one tool call in milliseconds; at the timeout the call is cancelled on the server
   * (`notifications/cancelled`). Default: the agent's `toolTimeoutMs`, and 60_000 (the MCP SDK's
   * request timeout) at the latest.
   */
  timeoutMs?: number | undefined;
  /** Timeout of connecting and initializing, in milliseconds. Default 30_000. */
  connectTimeoutMs?: number | undefined;
  /**
   * Send images of tool results to the model as image parts (`deepseek-flash` reads them).
   * `false` replaces them with a short note (for text-only models). Default true.
   */
  images?: boolean | undefined;
  /** Caps each tool message at this many characters (the agent's default otherwise). */
  maxResultChars?: number | undefined;
  /** Called with the new tools after the server sent `tools/list_changed` and they were listed again. */
  onToolsChanged?: ((tools: readonly AnyTool[]) => void) | undefined;
  /** Called for problems outside any call: a failed refresh after `list_changed`, transport errors. */
  onError?: ((error: Error) => void) | undefined;
  /** How the client introduces itself. Default `{ name: 'plumb', version: <package version> }`. */
  clientInfo?: { name: string; version: string } | undefined;
}

/** A server started as a child process, spoken to over its stdin and stdout. */
export interface McpStdioOptions extends McpBaseOptions {
  /** The program, e.g. `'node'` or `'npx'`. Never run through a shell. */
  command: string;
  args?: readonly string[] | undefined;
  /**
   * The child's environment, added to a minimal safe one (HOME, PATH, ...: the MCP SDK's
   * default). The parent's other variables, such as DEEPSEEK_API_KEY, are not passed on.
   */
  env?: Readonly<Record<string, string>> | undefined;
  cwd?: string | undefined;
  /** The child's stderr: `'inherit'` (default), `'ignore'` or `'pipe'` (read `connection.stderr`). */
  stderr?: 'inherit' | 'ignore' | 'pipe' | undefined;
}

/** A remote server over Streamable HTTP (or the legacy HTTP+SSE transport). */
export interface McpHttpOptions extends McpBaseOptions {
  url: string | URL;
  /** Headers of every request (e.g. an API key). Never logged or put in errors. */
  headers?: Readonly<Record<string, string>> | undefined;
  /** An OAuth client provider, passed as is to the MCP SDK's transport (which runs the OAuth flow). */
  authProvider?: OAuthClientProvider | undefined;
  /**
   * `'auto'` (default): Streamable HTTP, falling back to legacy SSE when the server answers the
   * first POST with 400, 404 or 405. `'streamable-http'` or `'sse'` force one.
   */
  transport?: 'auto' | 'streamable-http' | 'sse' | undefined;
  /** The fetch to use (default `globalThis.fetch`). */
  fetch?: typeof fetch | undefined;
}

/** What `connectMcp()` accepts: `command` for a stdio server, `url` for a remote one. */
export type McpOptions = McpStdioOptions | McpHttpOptions;
