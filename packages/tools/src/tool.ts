import type { ChatCompletionTool } from '@plumb/core';
import { concurrencyLimit } from './concurrency.js';
import { describeThrown, ToolDefinitionError, ToolExecutionError } from './errors.js';
import { type PackRuntime, runTool } from './execute-tool.js';
import { checkName } from './names.js';
import {
  type ParseArgumentsOptions,
  type ParseArgumentsResult,
  parseArguments,
  parseArgumentsNow,
} from './parse-arguments.js';
import { convertParameters } from './schema/to-json-schema.js';
import type {
  AnyTool,
  ApprovalPredicate,
  InferToolArgs,
  Tool,
  ToolContext,
  ToolOptions,
  ToolParameters,
} from './types.js';

/** `ToolOptions` with the generics erased, as stored for rebuilding a tool inside a pack. */
export type AnyToolOptions = ToolOptions<ToolParameters, unknown, ToolContext>;

/** What a pack changes when it adopts a tool. */
export interface ToolOverrides {
  readonly name?: string | undefined;
  readonly pack?: PackRuntime | undefined;
  readonly timeoutMs?: number | undefined;
  readonly maxResultChars?: number | undefined;
  readonly needsApproval?: boolean | ApprovalPredicate<unknown> | undefined;
}

interface StoredTool {
  readonly options: AnyToolOptions;
  readonly pack: PackRuntime | undefined;
  /** `parseArguments` without a promise where none is needed (parseArgumentsNow). */
  readonly parseNow: (
    raw: string,
    options: ParseArgumentsOptions,
  ) => ParseArgumentsResult<unknown> | Promise<ParseArgumentsResult<unknown>>;
}

const stored = new WeakMap<object, StoredTool>();

/**
 * `tool.parseArguments(raw, options)`, synchronous when it can be: for a tool built by `tool()`
 * whose arguments parse and validate synchronously, the result itself (no promise, no turn of
 * the microtask queue); otherwise a promise, as `parseArguments` returns. For the agent loop.
 */
export function parseToolArguments(
  tool: AnyTool,
  raw: string,
  options: ParseArgumentsOptions,
): ParseArgumentsResult<unknown> | Promise<ParseArgumentsResult<unknown>> {
  const entry = stored.get(tool);
  return entry === undefined ? tool.parseArguments(raw, options) : entry.parseNow(raw, options);
}

/**
 * Defines a tool from a zod schema. Everything is checked here, once: the name (DeepSeek's
 * `[a-zA-Z0-9_-]`, at most 64 characters), that `parameters` is a zod 4 or zod 3 object schema
 * JSON can carry, and, with `strict: true`, that it fits DeepSeek's strict subset. Problems
 * throw a `ToolDefinitionError` that names the field and the fix.
 *
 * `execute`'s arguments are typed from `parameters`; annotate its context
 * (`(args, context: ToolContext<MyData>) => ...`) to type the run's data.
 *
 * @example
 * const getWeather = tool({
 *   name: 'get_weather',
 *   description: 'Current weather for a city',
 *   parameters: z.object({ city: z.string() }),
 *   execute: async ({ city }, { signal }) => fetchWeather(city, { signal }),
 * });
 * getWeather.definition; // { type: 'function', function: { name, description, parameters } }
 */
export function tool<P extends ToolParameters, Result, Context extends ToolContext = ToolContext>(
  options: ToolOptions<P, Result, Context>,
): Tool<InferToolArgs<P>, Result, Context> {
  return buildTool(options as unknown as AnyToolOptions, {}) as unknown as Tool<
    InferToolArgs<P>,
    Result,
    Context
  >;
}

/** True for a tool built by `tool()` (or by a pack). */
export function isTool(value: unknown): value is AnyTool {
  return typeof value === 'object' && value !== null && stored.has(value);
}

/** Builds a copy of a tool with a pack's name prefix, runtime and defaults applied. */
export function rebuildTool(source: AnyTool, overrides: ToolOverrides): AnyTool {
  const entry = stored.get(source);
  if (entry === undefined) {
    throw new ToolDefinitionError('Only tools built with tool() can be added to a pack.');
  }
  return buildTool(entry.options, { ...overrides, pack: entry.pack ?? overrides.pack });
}

function optionalNumber(value: unknown, field: string, name: string, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  if (
    typeof value !== 'number' ||
    Number.isNaN(value) ||
    value <= 0 ||
    (integer && !Number.isInteger(value))
  ) {
    throw new ToolDefinitionError(
      `Tool "${name}": ${field} must be a positive ${integer ? 'integer' : 'number'} (milliseconds or characters), got ${String(value)}.`,
      { toolName: name },
    );
  }
  return value;
}

/** Builds and checks a tool; `overrides` come from a pack. */
export function buildTool(options: AnyToolOptions, overrides: ToolOverrides): AnyTool {
  if (typeof options !== 'object' || options === null) {
    throw new ToolDefinitionError(
      'tool() needs an options object: { name, description, parameters, execute }.',
    );
  }
  checkName(options.name, 'Tool');
  const name = overrides.name === undefined ? options.name : checkName(overrides.name, 'Tool');
  const { description, execute } = options;
  if (typeof description !== 'string') {
    throw new ToolDefinitionError(
      `Tool "${name}": description must be a string telling the model what the tool does, got ${typeof description}.`,
      { toolName: name },
    );
  }
  if (typeof execute !== 'function') {
    throw new ToolDefinitionError(`Tool "${name}": execute must be a function (args, context) => result.`, {
      toolName: name,
    });
  }
  if (options.strict !== undefined && typeof options.strict !== 'boolean') {
    throw new ToolDefinitionError(`Tool "${name}": strict must be true or false.`, { toolName: name });
  }
  const strict = options.strict === true;
  const timeoutMs = optionalNumber(options.timeoutMs ?? overrides.timeoutMs, 'timeoutMs', name, false);
  const maxResultChars = optionalNumber(
    options.maxResultChars ?? overrides.maxResultChars,
    'maxResultChars',
    name,
    true,
  );
  const needsApproval = options.needsApproval ?? overrides.needsApproval ?? false;
  if (typeof needsApproval !== 'boolean' && typeof needsApproval !== 'function') {
    throw new ToolDefinitionError(
      `Tool "${name}": needsApproval must be a boolean or a function (args, context) => boolean.`,
      { toolName: name },
    );
  }
  if (options.parallel !== undefined && typeof options.parallel !== 'boolean') {
    throw new ToolDefinitionError(`Tool "${name}": parallel must be true or false.`, { toolName: name });
  }
  const limit = concurrencyLimit(options.concurrency, `Tool "${name}"`);
  const parameters = convertParameters(options.parameters, strict, name);
  const definition: ChatCompletionTool = Object.freeze({
    type: 'function',
    function: Object.freeze({
      name,
      ...(description === '' ? {} : { description }),
      parameters: parameters.jsonSchema,
      ...(strict ? { strict: true } : {}),
    }),
  });
  const pack = overrides.pack;
  const baseName = options.name;
  const target = {
    name,
    baseName,
    limit,
    execute: execute as (args: unknown, context: ToolContext) => unknown,
    timeoutMs,
    maxResultChars,
    pack,
  };

  const built: AnyTool = {
    kind: 'tool',
    name,
    baseName,
    description,
    parameters: options.parameters,
    strict,
    timeoutMs,
    maxResultChars,
    needsApproval,
    parallel: options.parallel !== false,
    pack: pack?.name,
    concurrency: limit?.limit,
    definition,
    execute: target.execute,
    parseArguments: (raw, parseOptions) => parseArguments(name, parameters, raw, parseOptions),
    async requiresApproval(args, context) {
      if (typeof needsApproval === 'boolean') return needsApproval;
      try {
        // The tool's own names, whatever the caller passed: a predicate's name check must not be
        // fooled by a pack prefix (`fs_write_file`) or by a runner that got the name wrong.
        const full = { ...context, toolName: name, baseName, packName: pack?.name };
        return (await needsApproval(args, full)) === true;
      } catch (error) {
        throw new ToolExecutionError(`needsApproval of tool "${name}" threw: ${describeThrown(error)}`, {
          toolName: name,
          callId: context.callId,
          cause: error,
        });
      }
    },
    run: (args, runOptions) => runTool(target, args, runOptions ?? { callId: '' }),
    async invoke(call, invokeOptions) {
      // A malformed call (no `function`) is reported like any other bad input, never thrown.
      const callId = typeof call?.id === 'string' ? call.id : '';
      const parsed = await parseArguments(name, parameters, call?.function?.arguments, {
        callId,
        finishReason: invokeOptions?.finishReason,
      });
      if (!parsed.ok) return { ok: false, content: parsed.content, error: parsed.error };
      return runTool(target, parsed.args, { ...invokeOptions, callId });
    },
  };
  Object.freeze(built);
  const parseNow: StoredTool['parseNow'] = (raw, parseOptions) =>
    parseArgumentsNow(name, parameters, raw, parseOptions);
  stored.set(built, { options, pack, parseNow });
  return built;
}
