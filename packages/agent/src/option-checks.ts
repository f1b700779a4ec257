import {
  checkLogger as checkLoggerShape,
  checkOneOf,
  describeValue,
  didYouMean,
  findUnknownKey,
  isMaxTokens,
  isUserId,
  MAX_OUTPUT_TOKENS,
  type OptionFailure,
  REASONING_EFFORTS,
} from '@plumb/core/internal';
import { AgentConfigError } from './errors.js';

export { REASONING_EFFORTS };

/** Builds the agent's error for a bad option (the shared checks of `@plumb/core/internal` take it). */
export const agentFailure: OptionFailure = (option, message) => new AgentConfigError(option, message);

/** How a wrong value looks, for "got ..." in error messages (never the whole value): one rule for all packages. */
export const describeType: (value: unknown) => string = describeValue;

/**
 * Every option `new Agent()` knows, one per line. An option added to `AgentOptions` must be added
 * here too, or passing it fails with "unknown option". Some are read by features that may not be
 * in this build (they are then accepted and ignored).
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
  'session',
  'sessionStore',
  'context',
  'compaction',
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

/** Model ids DeepSeek retired: every request with them fails, so they are refused when the agent is built. */
const RETIRED_MODELS: Readonly<Record<string, string>> = {
  'deepseek-chat': "use model 'deepseek-flash' with thinking: false (what deepseek-chat last pointed to)",
  'deepseek-reasoner':
    "use model 'deepseek-flash' (thinking is on by default; deepseek-reasoner last pointed to it)",
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
  if (
    temperature !== undefined &&
    !(typeof temperature === 'number' && temperature >= 0 && temperature <= 2)
  ) {
    throw new AgentConfigError(
      'temperature',
      `expected a number from 0 to 2, got ${describeType(temperature)}.`,
    );
  }
  if (topP !== undefined && !(typeof topP === 'number' && topP > 0 && topP <= 1)) {
    throw new AgentConfigError('topP', `expected a number above 0 and at most 1, got ${describeType(topP)}.`);
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
  const retired = RETIRED_MODELS[model];
  if (retired !== undefined) {
    throw new AgentConfigError('model', `'${model}' was retired by DeepSeek on 2026-07-24: ${retired}.`);
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
