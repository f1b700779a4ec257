import type { ChatCompletionTool, FinishReason } from '@plumb/core';
import type { ToolAbortedError, ToolExecutionError, ToolInputError, ToolTimeoutError } from './errors.js';
import type { JsonSchemaParameters } from './json-schema.js';
import type { ParseArgumentsOptions, ParseArgumentsResult } from './parse-arguments.js';

/** A zod 4 schema (`zod`, `zod/mini`, or `zod/v4` from zod 3.25), matched structurally. */
export interface Zod4Type {
  readonly _zod: { readonly input: unknown; readonly output: unknown };
}

/** A zod 3 schema (`zod@3` or `zod/v3`), matched structurally. */
export interface Zod3Type {
  readonly _def: unknown;
  readonly _input: unknown;
  readonly _output: unknown;
}

/**
 * What `parameters` accepts: a zod 4 or zod 3 schema, or a JSON Schema with its validator
 * (`jsonSchema()`); it must describe an object (checked at build).
 */
// biome-ignore lint/suspicious/noExplicitAny: any arguments type; InferToolArgs reads the real one
export type ToolParameters = Zod4Type | Zod3Type | JsonSchemaParameters<any>;

/** The arguments `execute` receives: the schema's output type (after defaults and transforms). */
export type InferToolArgs<P> = P extends { readonly kind: 'json-schema'; readonly '~args'?: infer A }
  ? Exclude<A, undefined>
  : P extends { readonly _zod: { readonly output: infer O } }
    ? O
    : P extends { readonly _output: infer O }
      ? O
      : never;

/** What every `execute` receives besides its arguments. */
export interface ToolContext<Data = unknown> {
  /**
   * Aborted when the run is aborted (reason: the run signal's reason) or the call times out
   * (reason: a `ToolTimeoutError`). Pass it on to `fetch` and friends.
   */
  readonly signal: AbortSignal;
  /** The tool call's id (`call_00_...`), as the model sent it. */
  readonly callId: string;
  /** The tool's name as the model sees it (with the pack prefix, if any). */
  readonly toolName: string;
  /** The tool's own name, as given to `tool()`: without a pack prefix. */
  readonly baseName: string;
  /**
   * The id of the agent run making the call (the same before and after an approval pause, in
   * any process); `undefined` when the tool is run outside an agent.
   */
  readonly runId: string | undefined;
  /**
   * A key unique to this call of this run, stable across processes and resumes: the same call
   * always carries the same key. Use it to make a side effect happen once (an idempotency key
   * for a payment API, a unique row in your store). `runId:callId` unless the runner gives one.
   */
  readonly idempotencyKey: string;
  /** The run's user data, as given to the runner (`undefined` when none was given). */
  readonly data: Data;
  /**
   * Reports progress of a long call (an agent streams it as a `tool-progress` event). Does nothing
   * when nobody listens, or once the call has ended. Set by the runner (`tool.run()`); absent in
   * contexts built by hand, so call it as `context.progress?.(...)`.
   */
  readonly progress?: ((update: ToolProgress) => void) | undefined;
}

/** One progress report of a running call. */
export interface ToolProgress {
  /** How far the call is; grows with each report. */
  readonly progress: number;
  /** The value `progress` reaches when done, if known. */
  readonly total?: number | undefined;
  /** A short human-readable note. */
  readonly message?: string | undefined;
}

/** The context of a tool defined inside a `toolPack`: `pack` is the value `setup()` resolved to. */
export type PackToolContext<State, Data = unknown> = ToolContext<Data> & { readonly pack: State };

/**
 * What a `needsApproval` function receives besides the (validated) arguments. Compare
 * `baseName`, not `toolName`, when one predicate serves several tools of a pack: a pack's
 * `prefix` changes `toolName` (`fs_write_file`) but never `baseName` (`write_file`).
 */
export interface ApprovalContext<Data = unknown> {
  /** The tool call's id, as the model sent it. */
  readonly callId: string;
  /** The name the model called: with the pack prefix, if the pack has one. */
  readonly toolName: string;
  /** The tool's own name, as given to `tool()`: never prefixed. */
  readonly baseName: string;
  /** The name of the tool's pack, or `undefined` for a tool outside any pack. */
  readonly packName: string | undefined;
  /** The agent run's id (`undefined` outside an agent). */
  readonly runId?: string | undefined;
  /** The run's user data (`undefined` when none was given). */
  readonly data: Data;
  /** Aborted when the run is aborted: pass it on if the check does I/O. */
  readonly signal?: AbortSignal | undefined;
}

/** What a runner passes to `tool.requiresApproval()`: the tool adds its own names. */
export type ApprovalRequest<Data = unknown> = Omit<
  ApprovalContext<Data>,
  'baseName' | 'packName' | 'toolName'
> & {
  readonly toolName?: string | undefined;
};

/** Decides per call whether a human must approve it. Declared as a method so tools stay assignable to `AnyTool`. */
export type ApprovalPredicate<Args, Data = unknown> = {
  bivarianceHack(args: Args, context: ApprovalContext<Data>): boolean | PromiseLike<boolean>;
}['bivarianceHack'];

/** Options of `tool()`. */
export interface ToolOptions<P extends ToolParameters, Result, Context extends ToolContext = ToolContext> {
  /** `[a-zA-Z0-9_-]`, at most 64 characters, unique among the tools of a run. */
  name: string;
  /** What the tool does and when to use it: the model reads this. */
  description: string;
  /** A zod 4 or zod 3 object schema, e.g. `z.object({ city: z.string() })`. */
  parameters: P;
  /**
   * Runs the tool with validated arguments. The return value becomes the tool message: strings
   * as they are, `undefined` as "(no output)", anything else as JSON. A throw becomes an error
   * message for the model, never a crash.
   */
  execute: (args: InferToolArgs<P>, context: Context) => Result | PromiseLike<Result>;
  /**
   * DeepSeek strict mode (beta): the schema is converted to DeepSeek's strict subset when the tool
   * is built (optional fields become nullable, unsupported keywords move into descriptions) and
   * the server enforces it. Unknown fields in the arguments are errors. Default false.
   */
  strict?: boolean | undefined;
  /** Aborts the call after this many milliseconds (the runner's default applies when unset). */
  timeoutMs?: number | undefined;
  /** Caps the tool message at this many characters (default 100_000, or the runner's setting). */
  maxResultChars?: number | undefined;
  /** Whether a human must approve a call before it runs: a boolean, or decided per call. Default false. */
  needsApproval?: boolean | ApprovalPredicate<InferToolArgs<P>, Context['data']> | undefined;
  /**
   * Whether a call may run at the same time as the other calls of its turn. `false`: the call
   * runs alone, after the calls before it (in call order) ended and before the ones after it
   * start (for tools with side effects that must not interleave). Default true.
   */
  parallel?: boolean | undefined;
  /**
   * The most calls of this tool that may run at the same time, across every run using it
   * (`1`: one at a time, in call order). Calls beyond it wait for a slot; the wait ends on
   * abort and does not count toward `timeoutMs`. A slot is freed when `execute` settles. Default:
   * no limit (the runner's own limit, such as the agent's `toolConcurrency`, still applies).
   */
  concurrency?: number | undefined;
}

/** Per-call options of `tool.run()`. */
export interface ToolRunOptions<Data = unknown> {
  /** The tool call's id; copied into the context and into errors. */
  callId: string;
  /** The run's signal: aborting it aborts the call's signal and ends the call with a `ToolAbortedError`. */
  signal?: AbortSignal | undefined;
  /** The run's user data, passed to `execute` as `context.data`. */
  data?: Data | undefined;
  /** The timeout when the tool sets none. No timeout when neither is set. */
  timeoutMs?: number | undefined;
  /** Receives the call's `context.progress()` reports while it runs. */
  onProgress?: ((update: ToolProgress) => void) | undefined;
  /** The result cap when the tool sets none (default 100_000 characters). */
  maxResultChars?: number | undefined;
  /** The id of the run making the call, passed to `execute` as `context.runId`. */
  runId?: string | undefined;
  /** `context.idempotencyKey`. @default `${runId}:${callId}` (or `callId` without a run id) */
  idempotencyKey?: string | undefined;
}

/** Per-call options of `tool.invoke()`: run options plus the turn's `finish_reason`. */
export interface ToolInvokeOptions<Data = unknown> extends Omit<ToolRunOptions<Data>, 'callId'> {
  /**
   * `'length'`, `'insufficient_system_resource'` and `'aborted'` mean the turn was cut off: the
   * arguments are rejected as truncated.
   */
  finishReason?: FinishReason | null | undefined;
}

/** The parts of a wire `ToolCall` that `invoke()` needs. */
export interface ToolCallInput {
  readonly id: string;
  readonly function: { readonly arguments: string };
}

/** The failure errors a call can end with. */
export type ToolCallError = ToolInputError | ToolExecutionError | ToolTimeoutError | ToolAbortedError;

/**
 * How one call ended. `content` is always the text for the tool message (`role: 'tool'`): the
 * serialized result, or a model-readable error so the model can correct itself.
 */
export type ToolOutcome<Result = unknown> =
  | { readonly ok: true; readonly content: string; readonly value: Result }
  | {
      readonly ok: false;
      readonly content: string;
      readonly error: ToolCallError;
      /**
       * Present when the call was answered (timeout or abort) before `execute` ended: resolves
       * when it does. A runner can tell a tool that honours its signal from one that ignores it.
       */
      readonly settled?: Promise<void> | undefined;
    };

/**
 * A tool built by `tool()`: its DeepSeek `definition` plus what the agent loop calls.
 * Built and checked once; frozen.
 */
export interface Tool<Args = unknown, Result = unknown, Context extends ToolContext = ToolContext> {
  readonly kind: 'tool';
  /** The name the model sees (with the pack prefix, if any). */
  readonly name: string;
  /** The name given to `tool()`, without a pack prefix. */
  readonly baseName: string;
  readonly description: string;
  readonly parameters: ToolParameters;
  readonly strict: boolean;
  readonly timeoutMs: number | undefined;
  readonly maxResultChars: number | undefined;
  readonly needsApproval: boolean | ApprovalPredicate<Args, Context['data']>;
  /** False when the tool's calls must not run at the same time as other calls (see `ToolOptions.parallel`). */
  readonly parallel: boolean;
  /** The name of the pack the tool belongs to, if any. */
  readonly pack: string | undefined;
  /** The tool's own `concurrency` limit (its pack may add one); undefined for none. */
  readonly concurrency: number | undefined;
  /** `{ type: 'function', function: { name, description, parameters, strict? } }`, computed once, frozen. */
  readonly definition: ChatCompletionTool;
  /** The `execute` given to `tool()`, unwrapped. The loop calls `run()` / `invoke()` instead. */
  execute(args: Args, context: Context): Result | PromiseLike<Result>;
  /** Parses and validates the model's arguments string; never throws. */
  parseArguments(raw: string, options?: ParseArgumentsOptions): Promise<ParseArgumentsResult<Args>>;
  /**
   * Resolves `needsApproval` for one call; the predicate gets the tool's own `toolName`,
   * `baseName` and `packName` whatever the caller passed. Rejects with a `ToolExecutionError`
   * if the function throws.
   */
  requiresApproval(args: Args, context: ApprovalRequest<Context['data']>): Promise<boolean>;
  /** Runs validated arguments with timeout, abort and result serialization; never throws or rejects. */
  run(args: Args, options: ToolRunOptions<Context['data']>): Promise<ToolOutcome<Result>>;
  /** `parseArguments()` then `run()` for one wire tool call (no approval step); never rejects. */
  invoke(call: ToolCallInput, options?: ToolInvokeOptions<Context['data']>): Promise<ToolOutcome<Result>>;
}

/** Any tool, whatever its argument, result and context types. */
export type AnyTool = Tool<unknown, unknown, ToolContext>;
