import {
  type ChatCompletionStreamParams,
  type ChatMessage,
  DeepSeek,
  type ModelId,
  type ThinkingConfig,
} from '@plumb/core';
import { isoNow } from '@plumb/core/internal';
import { AgentError } from '../errors.js';
import { assistantMessage } from '../step/messages.js';
import { stepRequest } from '../telemetry/step-request.js';
import { withPartialTurn } from './partial.js';
import type { Model, ModelRequest, ModelSettings, ModelTurn } from './types.js';

/** A `Model` on the DeepSeek chat API (what `new Agent({ client, model })` runs on). */
export interface DeepSeekChatModel extends Model {
  readonly client: DeepSeek;
}

export interface DeepSeekModelOptions {
  /** @default new DeepSeek() (reads DEEPSEEK_API_KEY) */
  client?: DeepSeek | undefined;
}

// Shared, frozen: core serializes a frozen field once, not on every request.
const THINKING_ON: ThinkingConfig = Object.freeze({ type: 'enabled' });
const THINKING_OFF: ThinkingConfig = Object.freeze({ type: 'disabled' });
const JSON_OBJECT = Object.freeze({ type: 'json_object' as const });

/**
 * The DeepSeek request of a turn, in a fixed key order: `model`, `messages` (the live history,
 * left out when undefined), `tools`, then the settings. Nothing is copied: the frozen tool
 * definitions go out as they are, so core serializes them once per agent.
 */
export function deepseekParams(
  modelId: string,
  messages: readonly ChatMessage[] | undefined,
  tools: ModelRequest['tools'],
  settings: ModelSettings,
): ChatCompletionStreamParams {
  const params = { model: modelId } as ChatCompletionStreamParams;
  if (messages !== undefined) params.messages = messages as ChatMessage[];
  if (tools !== undefined && tools.length > 0) params.tools = tools as ChatCompletionStreamParams['tools'];
  if (settings.toolChoice !== undefined) params.tool_choice = settings.toolChoice;
  if (settings.thinking !== undefined) params.thinking = settings.thinking ? THINKING_ON : THINKING_OFF;
  if (settings.reasoningEffort !== undefined) params.reasoning_effort = settings.reasoningEffort;
  if (settings.responseFormat === 'json_object') params.response_format = JSON_OBJECT;
  if (settings.maxTokens !== undefined) params.max_tokens = settings.maxTokens;
  if (settings.temperature !== undefined) params.temperature = settings.temperature;
  if (settings.topP !== undefined) params.top_p = settings.topP;
  if (settings.userId !== undefined) params.user_id = settings.userId;
  return params;
}

/**
 * The DeepSeek model: each turn is one streamed chat completion (so deltas reach `onDelta` and
 * core's idle timeout applies), assembled by core's `finalCompletion()`; tool calls are read
 * from the complete turn only, never from fragments. The assembled message is converted once
 * into the history's shape (`reasoning_content` always a string: DeepSeek's replay rule).
 * A failed turn's error carries what arrived (`partialTurnOf`).
 *
 * @example
 * const agent = new Agent({ model: deepseekModel('deepseek-flash', { client }) });
 */
export function deepseekModel(
  modelId: ModelId = 'deepseek-flash',
  options: DeepSeekModelOptions = {},
): DeepSeekChatModel {
  const client = options.client ?? new DeepSeek();
  const turn: Model['turn'] = (request) => deepseekTurn(client, modelId, request);
  const model = { modelId, client, turn };
  ownTurns.set(model, turn);
  return model;
}

/** The turn function of each model `deepseekModel()` made. */
const ownTurns = new WeakMap<Model, Model['turn']>();

/**
 * Whether `model` is one `deepseekModel()` made, with its own `turn` (not replaced): such a model
 * hands a request's messages to core's client and to nothing else (history-seal.ts relies on it).
 */
export function isOwnDeepSeekModel(model: Model): boolean {
  return ownTurns.get(model) === model.turn;
}

async function deepseekTurn(client: DeepSeek, modelId: string, request: ModelRequest): Promise<ModelTurn> {
  const params = deepseekParams(request.modelId ?? modelId, request.messages, request.tools, request);
  const startedAt = isoNow();
  const stream = client.chat.completions.stream(params, request.requestOptions);
  try {
    const onDelta = request.onDelta;
    if (onDelta !== undefined) {
      for await (const chunk of stream) {
        const delta = chunk.choices[0]?.delta;
        if (delta === undefined) continue;
        const reasoning = delta.reasoning_content;
        if (reasoning) onDelta('reasoning-delta', reasoning);
        const content = delta.content;
        if (content) onDelta('text-delta', content);
      }
    }
    const completion = await stream.finalCompletion();
    const choice = completion.choices[0];
    if (choice === undefined) {
      throw new AgentError(
        `DeepSeek answered step ${request.stepIndex} with no choices (request id ${stream.requestId ?? 'unknown'}).`,
      );
    }
    const message = choice.message;
    return {
      message: assistantMessage(message.content ?? '', message.reasoning_content ?? '', message.tool_calls),
      usage: completion.usage,
      finishReason: choice.finish_reason,
      request: stepRequest(stream, startedAt),
    };
  } catch (error) {
    const arrived = stream.snapshot().choices[0]?.message;
    throw withPartialTurn(error, {
      text: arrived?.content ?? '',
      reasoning: arrived?.reasoning_content ?? '',
      request: stepRequest(stream, startedAt),
    });
  }
}
