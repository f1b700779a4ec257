import { concurrencyLimit, type Semaphore } from './concurrency.js';
import { ToolDefinitionError } from './errors.js';
import type { PackRuntime } from './execute-tool.js';
import { checkName, MAX_TOOL_NAME_LENGTH } from './names.js';
import { type AnyToolOptions, buildTool, isTool, rebuildTool } from './tool.js';
import type {
  AnyTool,
  ApprovalPredicate,
  InferToolArgs,
  PackToolContext,
  Tool,
  ToolOptions,
  ToolParameters,
} from './types.js';

/**
 * `tool()` for tools inside a pack: the same options, with `context.pack` typed as the value the
 * pack's `setup()` resolves to.
 */
export type PackToolFactory<State> = <
  P extends ToolParameters,
  Result,
  Context extends PackToolContext<State> = PackToolContext<State>,
>(
  options: ToolOptions<P, Result, Context>,
) => Tool<InferToolArgs<P>, Result, Context>;

/** Options of `toolPack()`. */
export interface ToolPackOptions<State> {
  /** `[a-zA-Z0-9_-]`, at most 64 characters; also the default name prefix. */
  name: string;
  /** What the pack offers, for people reading the agent's configuration. */
  description: string;
  /**
   * The pack's tools: built with `tool()`, or, to use the shared state, a function receiving a
   * `tool()` whose `execute` gets `context.pack`:
   * `tools: (tool) => [tool({ ..., execute: (args, { pack }) => pack.client.get(args.id) })]`.
   */
  tools: readonly AnyTool[] | ((tool: PackToolFactory<State>) => readonly AnyTool[]);
  /**
   * Prefix tool names to avoid collisions: `true` -> `${pack.name}_${tool.name}`, a string ->
   * `${prefix}_${tool.name}`. Default: no prefix.
   */
  prefix?: boolean | string | undefined;
  /**
   * Creates the state the pack's tools share (a client, a connection, loaded config). Runs once,
   * lazily, before the first call of any of the pack's tools; concurrent first calls wait for the
   * same setup. If it throws, that call fails with a `ToolExecutionError` and the next call
   * tries again. Its time counts against the calling tool's timeout.
   */
  setup?: (() => State | PromiseLike<State>) | undefined;
  /** Default `timeoutMs` for the pack's tools (a tool's own setting wins). */
  timeoutMs?: number | undefined;
  /** Default `maxResultChars` for the pack's tools (a tool's own setting wins). */
  maxResultChars?: number | undefined;
  /**
   * Default `needsApproval` for the pack's tools (a tool's own setting wins). A predicate gets
   * `context.baseName` (the tool's own name) and `context.toolName` (with the prefix).
   */
  needsApproval?: boolean | ApprovalPredicate<unknown> | undefined;
  /**
   * The most calls of the pack's tools, all tools together, that may run at the same time across
   * every run (`1`: one at a time, in call order), for a pack whose shared state (a browser page,
   * a session, a cursor) cannot take concurrent calls. A tool's own `concurrency` applies too.
   * @default no limit
   */
  concurrency?: number | undefined;
}

/** A named group of tools; put it in an agent's `tools` next to single tools. */
export interface ToolPack {
  readonly kind: 'tool-pack';
  readonly name: string;
  readonly description: string;
  /** The pack's tools, with prefixes and defaults applied, in the order given. */
  readonly tools: readonly AnyTool[];
}

const packs = new WeakSet<object>();

/** @internal Marks an object as a tool pack (for `dynamicToolPack()`). */
export function markToolPack(pack: ToolPack): void {
  packs.add(pack);
}

/** True for a pack built by `toolPack()` (or registered with `dynamicToolPack()`). */
export function isToolPack(value: unknown): value is ToolPack {
  return typeof value === 'object' && value !== null && packs.has(value);
}

function createRuntime<State>(
  name: string,
  setup: (() => State | PromiseLike<State>) | undefined,
  limit: Semaphore | undefined,
): PackRuntime {
  let pending: Promise<unknown> | undefined;
  return {
    name,
    limit,
    state() {
      if (setup === undefined) return Promise.resolve(undefined);
      if (pending === undefined) {
        const started = new Promise<unknown>((resolve) => resolve(setup()));
        pending = started;
        // A failed setup is not cached: the next call runs it again.
        started.catch(() => {
          if (pending === started) pending = undefined;
        });
      }
      return pending;
    },
  };
}

/**
 * Groups tools that share setup and configuration. The result can sit next to single tools in
 * an agent's `tools`; names are checked for collisions when the agent resolves them.
 *
 * @example
 * const github = toolPack({
 *   name: 'github',
 *   description: 'Read issues and pull requests',
 *   prefix: true, // github_get_issue
 *   setup: async () => ({ client: await connect() }),
 *   tools: (tool) => [
 *     tool({
 *       name: 'get_issue',
 *       description: 'Fetch one issue',
 *       parameters: z.object({ number: z.number().int() }),
 *       execute: ({ number }, { pack, signal }) => pack.client.issue(number, { signal }),
 *     }),
 *   ],
 * });
 */
export function toolPack<State = undefined>(options: ToolPackOptions<State>): ToolPack {
  if (typeof options !== 'object' || options === null) {
    throw new ToolDefinitionError('toolPack() needs an options object: { name, description, tools }.');
  }
  const name = checkName(options.name, 'Tool pack');
  if (typeof options.description !== 'string') {
    throw new ToolDefinitionError(`Tool pack "${name}": description must be a string.`, { toolName: name });
  }
  if (options.setup !== undefined && typeof options.setup !== 'function') {
    throw new ToolDefinitionError(
      `Tool pack "${name}": setup must be a function returning the shared state.`,
      {
        toolName: name,
      },
    );
  }
  const prefix =
    options.prefix === true
      ? name
      : typeof options.prefix === 'string'
        ? checkName(options.prefix, 'Tool pack')
        : '';
  const runtime = createRuntime(
    name,
    options.setup,
    concurrencyLimit(options.concurrency, `Tool pack "${name}"`),
  );
  const define = ((toolOptions: AnyToolOptions) =>
    buildTool(toolOptions, { pack: runtime })) as PackToolFactory<State>;
  const listed = typeof options.tools === 'function' ? options.tools(define) : options.tools;
  if (!Array.isArray(listed)) {
    throw new ToolDefinitionError(
      `Tool pack "${name}": tools must be an array of tools (or a function returning one).`,
      {
        toolName: name,
      },
    );
  }
  const seen = new Set<string>();
  const tools = listed.map((item: unknown, index) => {
    if (!isTool(item)) {
      throw new ToolDefinitionError(
        `Tool pack "${name}": tools[${index}] is not a tool. Build each tool with tool() (or the function form of tools).`,
        { toolName: name },
      );
    }
    const toolName = prefix === '' ? item.name : `${prefix}_${item.name}`;
    if (toolName.length > MAX_TOOL_NAME_LENGTH) {
      throw new ToolDefinitionError(
        `Tool pack "${name}": the prefixed name "${toolName}" is ${toolName.length} characters long; DeepSeek accepts at most ${MAX_TOOL_NAME_LENGTH}. Use a shorter prefix or tool name.`,
        { toolName },
      );
    }
    if (seen.has(toolName)) {
      throw new ToolDefinitionError(
        `Tool pack "${name}" has two tools named "${toolName}". Tool names must be unique; rename one.`,
        { toolName },
      );
    }
    seen.add(toolName);
    return rebuildTool(item, {
      name: toolName,
      pack: runtime,
      timeoutMs: options.timeoutMs,
      maxResultChars: options.maxResultChars,
      needsApproval: options.needsApproval,
    });
  });
  const pack: ToolPack = Object.freeze({
    kind: 'tool-pack' as const,
    name,
    description: options.description,
    tools: Object.freeze(tools),
  });
  packs.add(pack);
  return pack;
}
