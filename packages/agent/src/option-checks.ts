import { AgentConfigError } from './errors.js';

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
  'onFinish',
  'onError',
] as const;

/** The `reasoningEffort` values DeepSeek accepts (`none` turns thinking off; the last four are aliases). */
export const REASONING_EFFORTS = [
  'none',
  'low',
  'high',
  'max',
  'minimal',
  'medium',
  'xhigh',
  'ultra',
] as const;

/** Model ids DeepSeek retired: every request with them fails, so they are refused when the agent is built. */
export const RETIRED_MODELS: Readonly<Record<string, string>> = {
  'deepseek-chat': "use model 'deepseek-flash' with thinking: false (what deepseek-chat last pointed to)",
  'deepseek-reasoner':
    "use model 'deepseek-flash' (thinking is on by default; deepseek-reasoner last pointed to it)",
};

/** `max_tokens` DeepSeek accepts (thinking included). */
const MAX_TOKENS_LIMIT = 393_216;

/** How a wrong value looks, for "got ..." in error messages (never the whole value). */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string': {
      const chars = Array.from(value);
      const shown = chars.length > 40 ? `${chars.slice(0, 40).join('')}…` : value;
      return `a string (${JSON.stringify(shown)})`;
    }
    case 'number':
      return Number.isNaN(value) ? 'NaN' : `the number ${String(value)}`;
    case 'boolean':
      return `the boolean ${String(value)}`;
    case 'bigint':
      return `a bigint (${String(value)}n)`;
    case 'undefined':
      return 'undefined';
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
    default:
      return 'an object';
  }
}

/** Levenshtein distance, for did-you-mean (option names are short). */
function distance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0] as number;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j] as number;
      const cost = a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1;
      previous[j] = Math.min(above + 1, (previous[j - 1] as number) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return previous[b.length] as number;
}

/** The closest known name, if one is close enough to be a typo. */
export function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const d = distance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/** Throws an `AgentConfigError` for the first key of `options` that is not in `known`. */
export function checkKnownKeys(options: object, known: readonly string[], where: string): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const guess = closest(key, known);
    throw new AgentConfigError(
      key,
      `${where} has no option \`${key}\`.${guess === undefined ? '' : ` Did you mean \`${guess}\`?`} Known options: ${known.join(', ')}.`,
    );
  }
}

/** `maxTokens`, `temperature`, `topP` and `userId`: checked here rather than refused by DeepSeek mid-run. */
export function checkRequestSettings(options: {
  maxTokens?: unknown;
  temperature?: unknown;
  topP?: unknown;
  userId?: unknown;
}): void {
  const { maxTokens, temperature, topP, userId } = options;
  if (
    maxTokens !== undefined &&
    !(
      typeof maxTokens === 'number' &&
      Number.isInteger(maxTokens) &&
      maxTokens >= 1 &&
      maxTokens <= MAX_TOKENS_LIMIT
    )
  ) {
    throw new AgentConfigError(
      'maxTokens',
      `expected an integer from 1 to ${MAX_TOKENS_LIMIT} (tokens, reasoning included), got ${describeType(maxTokens)}.`,
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
export function checkUserId(userId: unknown, option: string): void {
  if (typeof userId !== 'string' || !/^[a-zA-Z0-9_-]{1,512}$/.test(userId)) {
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

/** `reasoningEffort`: one of `REASONING_EFFORTS`. */
export function checkReasoningEffort(effort: unknown): void {
  if (effort === undefined) return;
  if (!(REASONING_EFFORTS as readonly unknown[]).includes(effort)) {
    throw new AgentConfigError(
      'reasoningEffort',
      `expected one of ${REASONING_EFFORTS.map((value) => `'${value}'`).join(', ')}, got ${describeType(effort)}.`,
    );
  }
}

/** `logger`: an object with pino's level methods. */
export function checkLogger(logger: unknown): void {
  if (logger === undefined) return;
  const methods = ['debug', 'info', 'warn', 'error'] as const;
  const candidate = logger as Record<string, unknown> | null;
  const missing =
    typeof logger === 'object' && candidate !== null
      ? methods.filter((method) => typeof candidate[method] !== 'function')
      : methods;
  if (missing.length > 0) {
    throw new AgentConfigError(
      'logger',
      `expected a pino logger (an object with debug, info, warn and error methods), got ${describeType(logger)}${typeof logger === 'object' && logger !== null ? ` without ${missing.join(', ')}` : ''}.`,
    );
  }
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
      const guess = closest(name, names);
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
