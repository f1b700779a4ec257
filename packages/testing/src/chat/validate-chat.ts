import { badRequest, EmulatorHttpError, MAX_OUTPUT_TOKENS, texts } from '../wire/errors.js';
import { findModel, type ModelInfo, unsupportedModelText } from '../wire/models.js';
import { isObject, type JsonObject } from '../wire/serde.js';
import { deserializeChat } from './deserialize-chat.js';
import { validateMessageOrder, validateReasoningReplay } from './validate-messages.js';
import { validateTools } from './validate-tools.js';

/** What a valid chat request asks for, as the rest of the emulator needs it. */
export interface ChatPlan {
  body: JsonObject;
  messages: JsonObject[];
  model: ModelInfo;
  /** The id the client sent (echoed in `model`). */
  modelId: string;
  beta: boolean;
  thinking: boolean;
  /** Folded effort: `low`, `high` or `max` (thinking mode only). */
  effort: 'low' | 'high' | 'max';
  stream: boolean;
  includeUsage: boolean;
  /** Explicit `max_tokens`, if any. */
  maxTokens: number | undefined;
  logprobs: boolean;
  topLogprobs: number;
  jsonMode: boolean;
  toolNames: string[];
  /** The trailing `prefix: true` assistant message (chat prefix completion). */
  prefix: JsonObject | undefined;
}

const USER_ID = /^[a-zA-Z0-9_-]+$/;
const EFFORT_FOLD: Record<string, ChatPlan['effort']> = {
  minimal: 'low',
  low: 'low',
  medium: 'high',
  high: 'high',
  xhigh: 'high',
  max: 'max',
  ultra: 'max',
};

/** DeepSeek's default `max_tokens`: 8K non-thinking, 64K thinking, 128K at effort `max`. */
export function defaultMaxTokens(plan: Pick<ChatPlan, 'thinking' | 'effort'>): number {
  if (!plan.thinking) return 8192;
  return plan.effort === 'max' ? 131_072 : 65_536;
}

/** Validates a chat request like DeepSeek does; throws an `EmulatorHttpError` with its text. */
export function validateChat(body: unknown, raw: string, beta: boolean): ChatPlan {
  deserializeChat(body, raw);
  const modelId = body.model as string;
  const model = findModel(modelId);
  if (!model) throw badRequest(unsupportedModelText(String(body.model)));
  const maxTokens = body.max_tokens as number | null | undefined;
  if (maxTokens != null && (maxTokens < 1 || maxTokens > MAX_OUTPUT_TOKENS)) {
    throw badRequest(texts.maxTokensRange(MAX_OUTPUT_TOKENS));
  }
  const logprobs = body.logprobs === true;
  const topLogprobs = body.top_logprobs as number | null | undefined;
  if (topLogprobs != null && topLogprobs > 20) throw badRequest(texts.topLogprobsRange);
  if (topLogprobs != null && !logprobs) throw badRequest(texts.topLogprobsWithoutLogprobs);
  const responseFormat = isObject(body.response_format) ? body.response_format.type : 'text';
  if (responseFormat === 'json_schema') throw badRequest(texts.responseFormatUnavailable);
  const stream = body.stream === true;
  if (body.stream_options != null && !stream) throw badRequest(texts.streamOptionsWithoutStream);
  checkUserId(body.user_id);

  const messages = body.messages as JsonObject[];
  const toolNames = validateTools(body.tools, beta);
  checkToolChoice(body.tool_choice, toolNames);
  validateMessageOrder(messages, beta);

  const effortValue = body.reasoning_effort as string | null | undefined;
  const thinkingType = isObject(body.thinking) ? body.thinking.type : undefined;
  const thinking = thinkingType !== 'disabled' && effortValue !== 'none';
  if (thinking) {
    const choice = body.tool_choice;
    if (choice === 'required' || isObject(choice)) throw badRequest(texts.thinkingToolChoice);
    if (toolNames.length > 0) validateReasoningReplay(messages);
  }
  const last = messages[messages.length - 1]!;
  return {
    body,
    messages,
    model,
    modelId,
    beta,
    thinking,
    effort: EFFORT_FOLD[effortValue ?? 'high'] ?? 'high',
    stream,
    includeUsage: stream && isObject(body.stream_options) && body.stream_options.include_usage === true,
    maxTokens: maxTokens ?? undefined,
    logprobs,
    topLogprobs: topLogprobs ?? 0,
    jsonMode: responseFormat === 'json_object',
    toolNames,
    prefix: last.prefix === true ? last : undefined,
  };
}

function checkUserId(userId: unknown): void {
  if (userId == null) return;
  const value = userId as string;
  if (value.length > 512) throw badRequest(texts.stringTooLong('user_id', 512, value.length));
  if (!USER_ID.test(value)) throw badRequest(texts.userIdPattern);
}

function checkToolChoice(choice: unknown, toolNames: string[]): void {
  if (choice == null || choice === 'none' || choice === 'auto') return;
  if (toolNames.length === 0) {
    throw new EmulatorHttpError(
      400,
      "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.",
    );
  }
  if (isObject(choice)) {
    const name = String((choice.function as JsonObject).name);
    if (!toolNames.includes(name)) {
      throw badRequest(
        `Invalid value for 'tool_choice': no function named '${name}' was specified in 'tools'.`,
      );
    }
  }
}
