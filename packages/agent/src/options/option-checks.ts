import { ConfigError, type ToolChoice } from '@plumb/core';
import {
  checkDuration,
  checkFetchOptions,
  checkLogger as checkLoggerShape,
  checkOneOf,
  checkRequestOptions,
  checkRetries,
  describeValue,
  didYouMean,
  findUnknownKey,
  inSamplingRange,
  isMaxTokens,
  isRecord,
  isRetiredModel,
  isUserId,
  MAX_OUTPUT_TOKENS,
  normalizeHeaders,
  type OptionFailure,
  REASONING_EFFORTS,
  type RetiredModelId,
  samplingRangeText,
} from '@plumb/core/internal';
import type { ContextOptions } from '../context/options.js';
import { AgentConfigError } from '../errors.js';
import type { Budget } from './options.js';

export { REASONING_EFFORTS };

/** Builds the agent's error for a bad option (the shared checks of `@plumb/core/internal` take it). */
export const agentFailure: OptionFailure = (option, message) => new AgentConfigError(option, message);

/** How a wrong value looks, for "got ..." in error messages (never the whole value): one rule for all packages. */
export const describeType: (value: unknown) => string = describeValue;

/**
 * Every option `new Agent()` knows, one per line. An option added to `AgentOptions` must be added
 * here too, or passing it fails with "unknown option"; its value needs a check too (in
 * `resolveConfig`, or `checkAgentOptions` below).
 */
export const AGENT_OPTION_KEYS = [
  'client',
  'model',
  'name',
  'instructions',
  'tools',
  'thinking',
  'reasoningEffort',
  'maxSteps',
  'toolConcurrency',
  'toolTimeoutMs',
  'toolChoice',
  'output',
  'maxOutputRetries',
  'maxConsecutiveToolErrors',
  'budget',
  'currency',
  'maxTokens',
  'temperature',
  'topP',
  'userId',
  'hooks',
  'logger',
  'requestOptions',
  'telemetry',
  'recorder',
  'context',
  'prepareStep',
  'stopWhen',
  'onFinish',
  'onError',
  'onStepFinish',
  'onToolCall',
  'leakedToolCalls',
] as const;

/** Every option of `agent.run()` / `agent.stream()`, one per line (see `AGENT_OPTION_KEYS`). */
export const RUN_OPTION_KEYS = [
  'signal',
  'throwOnMaxSteps',
  'maxSteps',
  'budget',
  'data',
  'requestOptions',
  'session',
  'runId',
  'steps',
  'userId',
  'telemetry',
  'context',
  'prepareStep',
  'stopWhen',
  'activeTools',
  'onToolCall',
  'onFinish',
  'onError',
] as const;

/**
 * What replaces each model id DeepSeek retired, in the agent's options (core keeps the list: a
 * newly retired id fails to compile here until it has its advice). Every request with a retired
 * id fails, so they are refused when the agent is built.
 */
const RETIRED_ADVICE: Readonly<Record<RetiredModelId, string>> = {
  'deepseek-chat': "use model 'deepseek-flash' with thinking: false (what deepseek-chat last pointed to)",
  'deepseek-reasoner':
    "use model 'deepseek-flash' (thinking is on by default; deepseek-reasoner last pointed to it)",
  'deepseek-coder': "use model 'deepseek-flash'",
};

/** Throws an `AgentConfigError` for the first key of `options` that is not in `known`. */
export function checkKnownKeys(options: object, known: readonly string[], where: string): void {
  const unknown = findUnknownKey(options, known);
  if (unknown === undefined) return;
  throw new AgentConfigError(
    unknown.key,
    `${where} has no option \`${unknown.key}\`.${unknown.guess === undefined ? '' : ` Did you mean \`${unknown.guess}\`?`} Known options: ${known.join(', ')}.`,
  );
}

/** `maxTokens`, `temperature`, `topP` and `userId`: checked here rather than refused by DeepSeek mid-run. */
export function checkRequestSettings(options: {
  maxTokens?: unknown;
  temperature?: unknown;
  topP?: unknown;
  userId?: unknown;
}): void {
  const { maxTokens, temperature, topP, userId } = options;
  if (maxTokens !== undefined && !isMaxTokens(maxTokens)) {
    throw new AgentConfigError(
      'maxTokens',
      `expected an integer from 1 to ${MAX_OUTPUT_TOKENS} (tokens, reasoning included), got ${describeType(maxTokens)}.`,
    );
  }
  if (temperature !== undefined && !inSamplingRange('temperature', temperature)) {
    throw new AgentConfigError(
      'temperature',
      `expected ${samplingRangeText('temperature')}, got ${describeType(temperature)}.`,
    );
  }
  if (topP !== undefined && !inSamplingRange('top_p', topP)) {
    throw new AgentConfigError('topP', `expected ${samplingRangeText('top_p')}, got ${describeType(topP)}.`);
  }
  if (userId !== undefined) checkUserId(userId, 'userId');
}

/** DeepSeek's `user_id`: `[a-zA-Z0-9_-]`, at most 512 characters. */
function checkUserId(userId: unknown, option: string): void {
  if (!isUserId(userId)) {
    throw new AgentConfigError(
      option,
      `expected a string of 1 to 512 letters, digits, "_" or "-" (DeepSeek's user_id), got ${describeType(userId)}. Hash other ids (an email) into that form.`,
    );
  }
}

/** A model id that is a non-empty string and not retired. */
export function checkModel(model: unknown): string {
  if (typeof model !== 'string' || model === '') {
    throw new AgentConfigError(
      'model',
      `expected a model id such as 'deepseek-flash', got ${describeType(model)}.`,
    );
  }
  if (isRetiredModel(model)) {
    throw new AgentConfigError(
      'model',
      `'${model}' was retired by DeepSeek on 2026-07-24: ${RETIRED_ADVICE[model]}.`,
    );
  }
  return model;
}

/** `reasoningEffort`: one of `REASONING_EFFORTS` (the message lists them all). */
export function checkReasoningEffort(effort: unknown): void {
  checkOneOf('reasoningEffort', effort, REASONING_EFFORTS, agentFailure);
}

/** `logger`: an object with pino's level methods. */
export function checkLogger(logger: unknown): void {
  checkLoggerShape(logger, agentFailure);
}

/** `hooks`: an object whose known keys are functions. */
export function checkHooks(hooks: unknown, names: readonly string[]): void {
  if (hooks === undefined) return;
  if (typeof hooks !== 'object' || hooks === null || Array.isArray(hooks)) {
    throw new AgentConfigError(
      'hooks',
      `expected an object of callbacks such as { onStepEnd }, got ${describeType(hooks)}.`,
    );
  }
  for (const [name, value] of Object.entries(hooks)) {
    if (!names.includes(name)) {
      const guess = didYouMean(name, names);
      throw new AgentConfigError(
        `hooks.${name}`,
        `there is no hook \`${name}\`.${guess === undefined ? '' : ` Did you mean \`${guess}\`?`} Hooks: ${names.join(', ')}.`,
      );
    }
    if (value !== undefined && typeof value !== 'function') {
      throw new AgentConfigError(`hooks.${name}`, `expected a function, got ${describeType(value)}.`);
    }
  }
}

/**
 * Names people pass to `new Agent()` for things that live elsewhere: each is refused with where it
 * goes (accepting and ignoring them would leave the conversation unsaved or the context unmanaged).
 */
const MOVED_AGENT_OPTIONS: Readonly<Record<string, string>> = {
  session:
    'a session belongs to a run, not to the agent: agent.run(input, { session: { store, id } }) (see SessionOptions).',
  sessionStore:
    "the store goes in each run's session: agent.run(input, { session: { store, id } }) (see SessionOptions).",
  compaction:
    'context management is the `context` option: new Agent({ context: { strategies: [clearToolResults(), summarizeTurns()], trigger: { fraction: 0.8 } } }).',
};

/** The keys of a `budget` (the compiler checks them against `Budget`). */
export const BUDGET_KEYS = ['maxCost', 'currency'] as const satisfies readonly (keyof Budget)[];

/** The keys of a `context` (the compiler checks them against `ContextOptions`). */
export const CONTEXT_KEYS = [
  'strategies',
  'trigger',
  'target',
  'window',
] as const satisfies readonly (keyof ContextOptions)[];

const TOOL_CHOICES = ['auto', 'none', 'required'] as const;

/**
 * The checks of `new Agent(options)` that `resolveConfig` does not make, run before it: unknown keys
 * (again, so they come first), options that live elsewhere, and the values of `toolChoice`, `budget`,
 * `context` and `requestOptions`.
 */
export function checkAgentOptions(options: object): void {
  for (const key of Object.keys(options)) {
    const moved = MOVED_AGENT_OPTIONS[key];
    if (moved !== undefined) {
      throw new AgentConfigError(key, `new Agent() has no option \`${key}\`: ${moved}`);
    }
  }
  checkKnownKeys(options, AGENT_OPTION_KEYS, 'new Agent()');
  const record = options as Record<string, unknown>;
  checkToolChoice(record.toolChoice);
  checkKeysOf('budget', record.budget, BUDGET_KEYS);
  checkKeysOf('context', record.context, CONTEXT_KEYS);
  checkModelRequestOptions(record.requestOptions);
}

/**
 * The checks of `agent.run()` / `agent.stream()` options, before anything else of the run (a
 * session is loaded after them): unknown keys, `throwOnMaxSteps`, `onFinish`, `onError`, and the
 * values inside `budget`, `context` and `requestOptions`. The other run options are checked where
 * they are read, also before any request.
 */
export function checkRunOptions(options: unknown): void {
  if (options === undefined) return;
  if (!isRecord(options)) {
    throw new AgentConfigError(
      'options',
      `run options must be an object, e.g. { signal }, got ${describeType(options)}.`,
    );
  }
  checkKnownKeys(options, RUN_OPTION_KEYS, 'agent.run()');
  const { throwOnMaxSteps } = options;
  if (throwOnMaxSteps !== undefined && typeof throwOnMaxSteps !== 'boolean') {
    throw new AgentConfigError(
      'throwOnMaxSteps',
      `expected true (reject with MaxStepsExceededError when maxSteps is used up) or false, got ${describeType(throwOnMaxSteps)}.`,
    );
  }
  for (const name of ['onFinish', 'onError'] as const) {
    const callback = options[name];
    if (callback !== undefined && typeof callback !== 'function') {
      throw new AgentConfigError(
        name,
        `expected a function, e.g. ${name === 'onFinish' ? '(result) => { ... }' : '({ error }) => { ... }'}, got ${describeType(callback)}.`,
      );
    }
  }
  checkKeysOf('budget', options.budget, BUDGET_KEYS);
  checkKeysOf('context', options.context, CONTEXT_KEYS);
  checkModelRequestOptions(options.requestOptions);
}

/** An object option's keys (its shape and values are checked where it is read). */
function checkKeysOf(option: string, value: unknown, known: readonly string[]): void {
  if (!isRecord(value)) return;
  const unknown = findUnknownKey(value, known);
  if (unknown === undefined) return;
  throw new AgentConfigError(
    `${option}.${unknown.key}`,
    `\`${option}\` has no key ${unknown.shown}.${unknown.guess === undefined ? '' : ` Did you mean \`${unknown.guess}\`?`} Its keys: ${known.join(', ')}.`,
  );
}

/**
 * `toolChoice`: 'auto', 'none', 'required' or `{ type: 'function', function: { name } }`. Whether
 * the name is one of the agent's tools is `checkToolChoiceName`, once the tools are resolved.
 */
function checkToolChoice(choice: unknown): void {
  if (choice === undefined || typeof choice === 'string') {
    checkOneOf('toolChoice', choice, TOOL_CHOICES, agentFailure);
    return;
  }
  const named = isRecord(choice) && isRecord(choice.function) ? choice.function.name : undefined;
  if (isRecord(choice) && choice.type === 'function' && typeof named === 'string' && named !== '') return;
  throw new AgentConfigError(
    'toolChoice',
    `expected 'auto', 'none', 'required' or { type: 'function', function: { name: 'get_weather' } }, got ${describeType(choice)}${isRecord(choice) ? ` (${choice.type !== 'function' ? 'its type is not "function"' : 'without a function.name string'})` : ''}.`,
  );
}

/** A forced `{ type: 'function', function: { name } }` must name one of the agent's tools. */
export function checkToolChoiceName(choice: ToolChoice | undefined, toolNames: readonly string[]): void {
  if (typeof choice !== 'object' || choice === null) return;
  const name = choice.function.name;
  if (toolNames.includes(name)) return;
  const guess = didYouMean(name, toolNames);
  throw new AgentConfigError(
    'toolChoice.function.name',
    `the agent has no tool ${JSON.stringify(name)}.${guess === undefined ? '' : ` Did you mean \`${guess}\`?`} Its tools: ${toolNames.length === 0 ? '(none)' : toolNames.join(', ')}.`,
  );
}

/** Core's errors for a request option, as the agent's error on `requestOptions.<field>`. */
const requestOptionFailure: OptionFailure = (field, message) =>
  new AgentConfigError(`requestOptions.${field}`, message);

/**
 * `requestOptions` (of the agent or of a run), checked with core's own rules when the agent is
 * built or the run starts, instead of failing the run's first request: known keys with a
 * did-you-mean, `timeout` and `idleTimeout`, `maxRetries`, `headers`, `preflight`, `fetchOptions`.
 * `signal` is refused: the run's `signal` option aborts its requests.
 */
function checkModelRequestOptions(value: unknown): void {
  if (value === undefined) return;
  if (!isRecord(value)) {
    throw new AgentConfigError(
      'requestOptions',
      `expected an object such as { timeout: 60_000 }, got ${describeType(value)}.`,
    );
  }
  if (Object.hasOwn(value, 'signal')) {
    throw new AgentConfigError(
      'requestOptions.signal',
      "the run's signal aborts its model requests and tools: pass it as the run option, agent.run(input, { signal }).",
    );
  }
  try {
    checkRequestOptions(value);
    checkDuration('timeout', value.timeout as number | undefined, 1);
    checkDuration('idleTimeout', value.idleTimeout as number | undefined, 1);
    checkRetries(value.maxRetries, 0, requestOptionFailure);
    normalizeHeaders(value.headers as Record<string, string> | undefined, 'headers');
    checkFetchOptions('fetchOptions', value.fetchOptions);
  } catch (error) {
    if (error instanceof ConfigError) throw requestOptionFailure(error.field, error.message);
    throw error;
  }
}
