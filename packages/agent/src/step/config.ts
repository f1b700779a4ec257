import {
  type ChatCompletionStreamParams,
  type Currency,
  DeepSeek,
  deepFreeze,
  type Logger,
  type ReasoningEffort,
  type Telemetry,
  type ToolChoice,
} from '@plumb/core';
import { CURRENCIES, checkSignal as checkSharedSignal, isPriced, listValues } from '@plumb/core/internal';
import { type AnyTool, resolveTools, type ToolPack, type ToolParameters, type ToolSet } from '@plumb/tools';
import { AgentConfigError } from '../errors.js';
import { deepseekModel, deepseekParams } from '../model/deepseek.js';
import type { Model, ModelRequest, ModelSettings } from '../model/types.js';
import {
  AGENT_OPTION_KEYS,
  agentFailure,
  checkHooks,
  checkKnownKeys,
  checkLogger,
  checkModel,
  checkReasoningEffort,
  checkRequestSettings,
  describeType,
} from '../options/option-checks.js';
import {
  type AgentOptions,
  type Budget,
  LEAKED_TOOL_CALLS_MODES,
  type LeakedToolCallsMode,
  type ModelRequestOptions,
} from '../options/options.js';
import { type AgentHooks, HOOK_NAMES } from '../run/hooks.js';
import { checkRecorder, type RunRecorder } from '../telemetry/recorder.js';
import { resolveAgentTelemetry } from '../telemetry/run-telemetry.js';
import { type OutputSpec, prepareOutput } from './structured-output.js';

/** An agent's options, validated and resolved once, shared by all its runs. */
export interface AgentConfig {
  readonly client: DeepSeek;
  readonly model: string;
  /** Whether core's price table knows the model (else costs are undefined). */
  readonly priced: boolean;
  readonly name: string;
  /** The system message content (instructions plus the output schema paragraph), if any. */
  readonly system: string | undefined;
  readonly toolSet: ToolSet;
  /** The `tools` option as given: packs whose tools change are re-read from it (live-tools.ts). */
  readonly toolItems: ReadonlyArray<AnyTool | ToolPack>;
  /** The model every turn is asked of (the `model` option's object, else `deepseekModel(model, { client })`). */
  readonly languageModel: Model;
  /** The settings and tools of every turn's request, built once (frozen). */
  readonly settings: ModelSettings & { readonly tools: ModelRequest['tools'] };
  /** The DeepSeek request fields of `settings` (no `messages`), as the context manager reads them. */
  readonly params: Omit<ChatCompletionStreamParams, 'messages'>;
  /** A forced tool choice for the first step of a run (thinking off only). */
  readonly firstToolChoice: ToolChoice | undefined;
  readonly maxSteps: number;
  readonly toolConcurrency: number;
  readonly toolTimeoutMs: number | undefined;
  readonly leakedToolCalls: LeakedToolCallsMode;
  readonly output: OutputSpec | undefined;
  readonly maxOutputRetries: number;
  readonly maxConsecutiveToolErrors: number;
  readonly budget: Budget | undefined;
  readonly currency: Currency;
  readonly hooks: AgentHooks | undefined;
  readonly logger: Logger;
  readonly requestOptions: ModelRequestOptions | undefined;
  /** The resolved `telemetry` option (else the client's); `false` when turned off explicitly. */
  readonly telemetry: Telemetry | false | undefined;
  /** The `recorder` option (`false`: never record). */
  readonly recorder: RunRecorder | false | undefined;
}

const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  isLevelEnabled: () => false,
};

/** A whole number >= `min`, or the default. */
export function checkCount(option: string, value: unknown, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new AgentConfigError(option, `expected an integer >= ${min}, got ${describeType(value)}.`);
  }
  return value;
}

function checkLeakMode(value: unknown): LeakedToolCallsMode {
  if (value === undefined) return 'recover';
  if (typeof value === 'string' && (LEAKED_TOOL_CALLS_MODES as readonly string[]).includes(value))
    return value as LeakedToolCallsMode;
  throw new AgentConfigError(
    'leakedToolCalls',
    `expected ${listValues(LEAKED_TOOL_CALLS_MODES)}, got ${describeType(value)}.`,
  );
}

function isCurrency(value: unknown): value is Currency {
  return (CURRENCIES as readonly unknown[]).includes(value);
}

/** An optional options object (`requestOptions`). */
export function checkObject(option: string, value: unknown): void {
  if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    throw new AgentConfigError(
      option,
      `expected an object such as { timeout: 60_000 }, got ${describeType(value)}.`,
    );
  }
}

/** The run's `signal`, if any: it must be an AbortSignal (from an AbortController). */
export function checkSignal(signal: unknown): AbortSignal | undefined {
  return checkSharedSignal(signal, agentFailure);
}

/** Checks a budget against the model's price table (a budget needs a known price). */
export function checkBudget(
  budget: Budget | undefined,
  model: string,
  option = 'budget',
): Budget | undefined {
  if (budget === undefined) return undefined;
  if (
    typeof budget !== 'object' ||
    budget === null ||
    typeof budget.maxCost !== 'number' ||
    !(budget.maxCost >= 0)
  ) {
    throw new AgentConfigError(
      option,
      `expected { maxCost: number >= 0, currency?: "USD" | "CNY" }, got ${describeType(budget)}${typeof budget === 'object' && budget !== null ? ` with maxCost ${describeType(budget.maxCost)}` : ''}.`,
    );
  }
  if (budget.currency !== undefined && !isCurrency(budget.currency)) {
    throw new AgentConfigError(
      `${option}.currency`,
      `expected ${listValues(CURRENCIES)}, got ${describeType(budget.currency)}.`,
    );
  }
  if (!isPriced(model)) {
    throw new AgentConfigError(
      option,
      `no DeepSeek price is known for model '${model}', so a budget cannot be tracked.`,
    );
  }
  return budget;
}

function isForced(choice: ToolChoice | undefined): boolean {
  return choice !== undefined && choice !== 'auto' && choice !== 'none';
}

/** Validates every option (throws `AgentConfigError` naming it) and resolves the defaults. */
export function resolveConfig<TSchema extends ToolParameters | undefined>(
  options: AgentOptions<TSchema>,
): AgentConfig {
  if (typeof options !== 'object' || options === null) {
    throw new AgentConfigError(
      'options',
      'new Agent() needs an options object, e.g. { instructions, tools }.',
    );
  }
  checkKnownKeys(options, AGENT_OPTION_KEYS, 'new Agent()');
  const modelObject = checkModelObject(options.model);
  const client = options.client ?? modelObject?.client ?? new DeepSeek();
  if (
    !(client instanceof DeepSeek) &&
    typeof (client as Partial<DeepSeek> | null)?.chat?.completions?.stream !== 'function'
  ) {
    throw new AgentConfigError(
      'client',
      `expected a DeepSeek client from @plumb/core (new DeepSeek({ apiKey })), got ${describeType(client)}.`,
    );
  }
  const model = checkModel(modelObject?.modelId ?? options.model ?? 'deepseek-flash');
  const languageModel = modelObject ?? deepseekModel(model, { client });
  if (options.instructions !== undefined && typeof options.instructions !== 'string') {
    throw new AgentConfigError(
      'instructions',
      `expected a string (the system prompt), got ${describeType(options.instructions)}.`,
    );
  }
  if (options.name !== undefined && typeof options.name !== 'string') {
    throw new AgentConfigError('name', `expected a string, got ${describeType(options.name)}.`);
  }
  if (options.thinking !== undefined && typeof options.thinking !== 'boolean') {
    throw new AgentConfigError(
      'thinking',
      `expected true or false (or leave it unset for the model default), got ${describeType(options.thinking)}.`,
    );
  }
  const effort = options.reasoningEffort;
  checkReasoningEffort(effort);
  checkRequestSettings(options);
  checkHooks(options.hooks, HOOK_NAMES);
  checkLogger(options.logger);
  if (options.thinking === true && effort === 'none') {
    throw new AgentConfigError(
      'reasoningEffort',
      "'none' turns thinking off, but thinking is true. Drop one of them (thinking: false turns it off).",
    );
  }
  let toolSet: ToolSet;
  try {
    toolSet = resolveTools(options.tools ?? []);
  } catch (error) {
    throw new AgentConfigError('tools', error instanceof Error ? error.message : String(error));
  }
  const thinkingOff = options.thinking === false || effort === 'none';
  const toolChoice = options.toolChoice;
  if (isForced(toolChoice) && !thinkingOff) {
    throw new AgentConfigError(
      'toolChoice',
      `${JSON.stringify(toolChoice)} forces a tool call, which DeepSeek rejects in thinking mode (400 "Thinking mode does not support this tool_choice"). ` +
        "Set thinking: false on this agent, or use toolChoice: 'auto'.",
    );
  }
  if (isForced(toolChoice) && toolSet.definitions.length === 0) {
    throw new AgentConfigError('toolChoice', 'forces a tool call but the agent has no tools.');
  }
  const output = options.output === undefined ? undefined : prepareOutput(options.output);
  const system = joinSystem(options.instructions, output?.instructions);
  const settings = modelSettings(
    options,
    toolSet,
    toolChoice === 'none' ? 'none' : undefined,
    output !== undefined,
  );
  const params: Omit<ChatCompletionStreamParams, 'messages'> = deepseekParams(
    model,
    undefined,
    settings.tools,
    settings,
  );
  const budget = checkBudget(options.budget, model);
  const currency = options.currency ?? budget?.currency ?? 'USD';
  if (!isCurrency(currency))
    throw new AgentConfigError(
      'currency',
      `expected ${listValues(CURRENCIES)}, got ${describeType(currency)}.`,
    );
  checkObject('requestOptions', options.requestOptions);
  const logger = options.logger;
  if (logger !== undefined && (typeof logger?.debug !== 'function' || typeof logger.warn !== 'function')) {
    throw new AgentConfigError(
      'logger',
      'expected a pino logger (an object with debug, info, warn and error methods).',
    );
  }
  const toolTimeoutMs = options.toolTimeoutMs;
  if (toolTimeoutMs !== undefined && !(typeof toolTimeoutMs === 'number' && toolTimeoutMs > 0)) {
    throw new AgentConfigError(
      'toolTimeoutMs',
      `expected a positive number of milliseconds, got ${describeType(toolTimeoutMs)}.`,
    );
  }
  return {
    client,
    model,
    languageModel,
    settings,
    priced: isPriced(model),
    name: options.name ?? 'agent',
    system,
    toolSet,
    toolItems: options.tools ?? [],
    params,
    firstToolChoice: isForced(toolChoice) ? toolChoice : undefined,
    maxSteps: checkCount('maxSteps', options.maxSteps, 20),
    toolConcurrency: checkCount('toolConcurrency', options.toolConcurrency, 8),
    toolTimeoutMs,
    leakedToolCalls: checkLeakMode(options.leakedToolCalls),
    output,
    maxOutputRetries: checkCount('maxOutputRetries', options.maxOutputRetries, 2, 0),
    maxConsecutiveToolErrors: checkCount('maxConsecutiveToolErrors', options.maxConsecutiveToolErrors, 3),
    budget,
    currency,
    hooks: options.hooks,
    logger: options.logger ?? client.logger ?? silentLogger,
    requestOptions: options.requestOptions,
    telemetry: resolveAgentTelemetry(options.telemetry, client),
    recorder: checkRecorder(options.recorder),
  };
}

function joinSystem(
  instructions: string | undefined,
  outputInstructions: string | undefined,
): string | undefined {
  if (instructions === undefined || instructions === '') return outputInstructions;
  return outputInstructions === undefined ? instructions : `${instructions}\n\n${outputInstructions}`;
}

/**
 * Whether `model` is a model object (`Model`): checked here, so a wrong one fails when the agent
 * is built. A string (or nothing) is a model id, checked by `checkModel`.
 */
function checkModelObject(model: unknown): Model | undefined {
  if (typeof model !== 'object' || model === null) return undefined;
  const candidate = model as Partial<Model>;
  if (
    typeof candidate.turn !== 'function' ||
    typeof candidate.modelId !== 'string' ||
    candidate.modelId === ''
  ) {
    throw new AgentConfigError(
      'model',
      `expected a model id such as 'deepseek-flash' or a model object { modelId, turn(request) } (deepseekModel(), wrapModel(), scriptedModel()), got ${describeType(model)} without ${typeof candidate.turn !== 'function' ? 'a turn() method' : 'a modelId string'}.`,
    );
  }
  return model as Model;
}

/** The settings of every turn's request, built once; the tools are a frozen copy of their definitions. */
function modelSettings(
  options: AgentOptions<ToolParameters | undefined>,
  toolSet: ToolSet,
  toolChoice: ToolChoice | undefined,
  json: boolean,
): ModelSettings & { readonly tools: ModelRequest['tools'] } {
  // A frozen copy (the same JSON): core serializes a frozen field once, not on every request.
  const tools =
    toolSet.definitions.length > 0
      ? (deepFreeze(structuredJson(toolSet.definitions)) as ModelRequest['tools'])
      : undefined;
  return Object.freeze({
    tools,
    toolChoice,
    thinking: options.thinking,
    reasoningEffort: options.reasoningEffort,
    responseFormat: json ? ('json_object' as const) : undefined,
    maxTokens: options.maxTokens,
    temperature: options.temperature,
    topP: options.topP,
    userId: options.userId,
  });
}

/** A step's own model id, thinking mode or reasoning effort (what a `prepareStep` may change). */
export interface StepModelChange {
  readonly model?: string | undefined;
  readonly thinking?: boolean | undefined;
  readonly reasoningEffort?: ReasoningEffort | undefined;
}

/**
 * The agent's config for one step with `change` applied, consistent everywhere it is read: the
 * model asked (another id is asked of DeepSeek through the agent's client), the settings of the
 * request, the wire `params` the context manager reads, and the price table. `thinking: false`
 * drops the reasoning effort; `thinking: true` drops an effort of `'none'`.
 */
export function withStepModel(config: AgentConfig, change: StepModelChange): AgentConfig {
  const model = change.model ?? config.model;
  let { thinking, reasoningEffort } = config.settings;
  if (change.thinking !== undefined) thinking = change.thinking;
  if (change.reasoningEffort !== undefined) reasoningEffort = change.reasoningEffort;
  if (change.thinking === false) reasoningEffort = undefined;
  if (change.thinking === true && reasoningEffort === 'none') reasoningEffort = undefined;
  const settings = Object.freeze({ ...config.settings, thinking, reasoningEffort });
  // The agent's model (and any middleware around it) serves the step: the request names the
  // step's model id (ModelRequest.modelId).
  return {
    ...config,
    model,
    priced: isPriced(model),
    settings,
    params: deepseekParams(model, undefined, settings.tools, settings),
  };
}

/** A plain-data copy of JSON data (what JSON.stringify writes, read back). */
function structuredJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
