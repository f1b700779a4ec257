/**
 * Pre-flight checks: the requests DeepSeek is known to reject with a 400, caught locally before
 * anything is sent, with the field at fault and the fix. On by default; `preflight: false` on the
 * client or on a request turns them off.
 */

import { describeValue } from '../../client/check-options.js';
import { checkModelId } from '../../client/model-ids.js';
import { PreflightError } from '../../errors/errors.js';
import { isDeepFrozen } from '../../wire/frozen.js';
import type {
  ChatCompletionCreateParamsBase,
  CompletionCreateParamsBase,
  ToolChoice,
} from '../../wire/wire-types.js';
import {
  inSamplingRange,
  isMaxTokens,
  isUserId,
  MAX_OUTPUT_TOKENS,
  SAMPLING_FIELDS,
  type SamplingField,
  samplingRangeText,
} from '../option-checks.js';
import { firstDuplicate, MAX_TOOLS, mixedStrict, toolNameProblem } from '../tool-rules.js';
import { checkHistory } from './message-checks.js';

/** DeepSeek's `max_tokens` ceiling (384K). */
const SKIP = 'Pass `preflight: false` to send it anyway.';

/** Receives the non-fatal findings (settings DeepSeek ignores). */
export type PreflightWarn = (message: string, fields: string[]) => void;

/** Whether a chat request runs in thinking mode (DeepSeek's default for every current model). */
export function isThinking(
  params: Pick<ChatCompletionCreateParamsBase, 'thinking' | 'reasoning_effort'>,
): boolean {
  return params.thinking?.type !== 'disabled' && params.reasoning_effort !== 'none';
}

function fail(rule: string, field: string, message: string): never {
  throw new PreflightError(rule, field, `${message} ${SKIP}`);
}

function checkMaxTokens(value: unknown): void {
  if (value === undefined || value === null) return;
  if (!isMaxTokens(value)) {
    fail(
      'max-tokens-range',
      'max_tokens',
      `max_tokens must be an integer from 1 to ${MAX_OUTPUT_TOKENS} (reasoning tokens included), got ${describeValue(value)}.`,
    );
  }
}

/** DeepSeek's ranges for the sampling numbers (a string such as "hot" is a 400 after a round trip). */
function checkSampling(params: Partial<Record<SamplingField, unknown>>): void {
  for (const field of SAMPLING_FIELDS) {
    const value = params[field];
    if (value === undefined || value === null) continue;
    if (!inSamplingRange(field, value)) {
      fail(
        'sampling-range',
        field,
        `${field} must be ${samplingRangeText(field)}, got ${describeValue(value)}.`,
      );
    }
  }
}

function checkStreamOptions(streamOptions: unknown, stream: boolean): void {
  if (streamOptions !== undefined && streamOptions !== null && !stream) {
    fail(
      'stream-options-without-stream',
      'stream_options',
      'stream_options is only valid on a streamed request: use .stream() or remove stream_options.',
    );
  }
}

function checkModel(model: unknown, extraModels: readonly string[] | undefined): void {
  if (typeof model !== 'string' || model.length === 0) {
    fail('model-required', 'model', "model is required, e.g. 'deepseek-flash' or 'deepseek-v4-pro'.");
  }
  checkModelId(model, extraModels);
}

/** Checks a chat request; throws `PreflightError` on the first problem, calls `warn` for ignored settings. */
export function preflightChat(
  params: ChatCompletionCreateParamsBase,
  stream: boolean,
  warn?: PreflightWarn | undefined,
  extraModels?: readonly string[] | undefined,
): void {
  checkModel(params.model, extraModels);
  const thinking = isThinking(params);
  const tools = params.tools;
  const hasTools = Array.isArray(tools) && tools.length > 0;
  // Incremental for an append-only history (message-checks.ts).
  checkHistory(params.model, params.messages, thinking && hasTools);
  const format = params.response_format as { type?: unknown } | undefined;
  if (format && format.type !== 'text' && format.type !== 'json_object') {
    fail(
      'response-format',
      'response_format.type',
      `response_format type '${String(format.type)}' is not supported by DeepSeek chat completions (only 'text' and 'json_object'). ` +
        "For structured output use { type: 'json_object' } with the word 'json' and an example in the prompt, or a strict tool.",
    );
  }
  checkStreamOptions(params.stream_options, stream);
  checkMaxTokens(params.max_tokens);
  checkSampling(params);
  const names = tools ? checkTools(tools) : undefined;
  checkToolChoice(params.tool_choice, thinking, names);
  const userId = params.user_id;
  if (userId !== undefined && !isUserId(userId)) {
    fail(
      'user-id-pattern',
      'user_id',
      'user_id must match ^[a-zA-Z0-9_-]+$ and be at most 512 characters (hash or encode your user ids).',
    );
  }
  if (thinking && warn) {
    const ignored: string[] = [];
    if (params.temperature !== undefined) ignored.push('temperature');
    if (params.top_p !== undefined) ignored.push('top_p');
    if (params.frequency_penalty !== undefined) ignored.push('frequency_penalty');
    if (params.presence_penalty !== undefined) ignored.push('presence_penalty');
    if (ignored.length > 0) {
      warn(
        `Thinking mode is on, where DeepSeek ignores ${ignored.join(', ')} (top_p is at least 0.95). ` +
          "Set thinking: { type: 'disabled' } if you need sampling control.",
        ignored,
      );
    }
  }
}

/** The names of deeply frozen tool lists that passed (an agent sends the same frozen list every step). */
const checkedTools = new WeakMap<object, Set<string>>();

function checkTools(tools: NonNullable<ChatCompletionCreateParamsBase['tools']>): Set<string> {
  // A deeply frozen list cannot change, so it passes again: checked once.
  const known = checkedTools.get(tools);
  if (known !== undefined) return known;
  const names = checkToolList(tools);
  if (isDeepFrozen(tools)) checkedTools.set(tools, names);
  return names;
}

function checkToolList(tools: NonNullable<ChatCompletionCreateParamsBase['tools']>): Set<string> {
  if (!Array.isArray(tools)) fail('tools-array', 'tools', 'tools must be an array.');
  if (tools.length > MAX_TOOLS) {
    fail(
      'too-many-tools',
      'tools',
      `DeepSeek accepts at most ${MAX_TOOLS} tools, got ${tools.length}. Send only the tools this step needs.`,
    );
  }
  const names: string[] = [];
  for (let i = 0; i < tools.length; i++) {
    const tool = tools[i]!;
    const name = tool?.function?.name;
    if (tool?.type !== 'function' || typeof name !== 'string') {
      fail(
        'tool-shape',
        `tools[${i}]`,
        `tools[${i}] must be { type: 'function', function: { name, description?, parameters? } }.`,
      );
    }
    if (toolNameProblem(name) !== undefined) {
      fail(
        'tool-name',
        `tools[${i}].function.name`,
        `Tool name '${name}' is invalid: use 1 to 128 characters from a-z, A-Z, 0-9, _ and -.`,
      );
    }
    names.push(name);
  }
  const twice = firstDuplicate(names);
  if (twice >= 0) {
    fail(
      'duplicate-tool-name',
      `tools[${twice}].function.name`,
      `Tool name '${names[twice]}' is used twice; tool names must be unique.`,
    );
  }
  const mixed = mixedStrict(tools.map((tool) => tool.function.strict === true));
  if (mixed !== undefined) {
    fail(
      'mixed-strict-tools',
      'tools',
      `${mixed.count} of ${tools.length} tools set strict: true. DeepSeek's strict mode (beta) is all or nothing: make every tool strict or none.`,
    );
  }
  return new Set(names);
}

function checkToolChoice(
  choice: ToolChoice | undefined,
  thinking: boolean,
  names: Set<string> | undefined,
): void {
  if (choice === undefined || choice === 'auto' || choice === 'none') return;
  if (
    choice !== 'required' &&
    (typeof choice !== 'object' || choice === null || choice.type !== 'function')
  ) {
    fail(
      'tool-choice',
      'tool_choice',
      `tool_choice must be 'none', 'auto', 'required' or { type: 'function', function: { name } }, got ${JSON.stringify(choice)}.`,
    );
  }
  if (thinking) {
    fail(
      'forced-tool-choice-thinking',
      'tool_choice',
      "Thinking mode only supports tool_choice 'auto' or 'none'. To force a tool call, also send thinking: { type: 'disabled' }.",
    );
  }
  if (!names || names.size === 0) {
    fail('tool-choice-without-tools', 'tool_choice', 'tool_choice forces a tool call but no tools are sent.');
  }
  if (typeof choice === 'object' && !names.has(choice.function?.name)) {
    fail(
      'tool-choice-unknown',
      'tool_choice.function.name',
      `tool_choice names '${choice.function?.name}', which is not one of the tools: ${[...names].join(', ')}.`,
    );
  }
}

/** Checks a FIM request (`/beta/completions`). */
export function preflightCompletion(
  params: CompletionCreateParamsBase,
  stream: boolean,
  extraModels?: readonly string[] | undefined,
): void {
  checkModel(params.model, extraModels);
  if (typeof params.prompt !== 'string')
    fail('prompt-required', 'prompt', 'prompt must be a string (the text before the gap).');
  checkStreamOptions(params.stream_options, stream);
  checkMaxTokens(params.max_tokens);
  checkSampling(params);
  const logprobs = params.logprobs;
  if (
    logprobs !== undefined &&
    logprobs !== null &&
    (!Number.isInteger(logprobs) || logprobs < 0 || logprobs > 20)
  ) {
    fail(
      'fim-logprobs',
      'logprobs',
      `logprobs must be an integer from 0 to 20, got ${describeValue(logprobs)}.`,
    );
  }
  if (params.echo === true && ((params.suffix ?? null) !== null || (logprobs ?? null) !== null)) {
    fail(
      'fim-echo',
      'echo',
      'echo cannot be combined with suffix or logprobs: drop echo and prepend the prompt yourself.',
    );
  }
}
