import { type AssistantMessage, type ChatMessage, isDeepFrozen, type ToolCall } from '@plumb/core';
import { AgentError } from '../errors.js';
import { isOwnDeepSeekModel } from '../model/deepseek.js';
import type { ModelDeltaType, ModelRequest, ModelTurn } from '../model/types.js';
import type { RunContext } from '../run/run-context.js';
import { sealHistory } from './history-seal.js';
import { assistantMessage } from './messages.js';
import { wrapModelTurn } from './step-middleware.js';

export type { ModelTurn } from '../model/types.js';

/**
 * The loop's side of the model seam: asks the agent's model for the turn of step `stepIndex`
 * (through the run's `steps.modelTurn`, if any). The request carries the agent's settings, the
 * run's tools (re-read when a dynamic pack changed), the forced tool choice on a run's first
 * step, the run's `user_id`, and the step's request options (tracing parent included). Deltas
 * become events only when the run streams. A failure rejects with the model's error, which
 * carries what arrived (`partialTurnOf`).
 */
export async function requestTurn(
  context: RunContext,
  messages: ChatMessage[],
  stepIndex: number,
): Promise<ModelTurn> {
  const turn = await wrapModelTurn(context, stepIndex, () => {
    const model = context.config.languageModel;
    sealHistory(messages, isOwnDeepSeekModel(model));
    return model.turn(modelRequest(context, messages, stepIndex));
  });
  const message = (turn as Partial<ModelTurn> | undefined)?.message;
  if (typeof message !== 'object' || message === null || typeof turn.finishReason !== 'string') {
    throw new AgentError(
      `The model's turn for step ${stepIndex} is not a { message, usage, finishReason } object (model '${context.config.model}'): a Model's turn() must resolve to one.`,
    );
  }
  return turn;
}

function modelRequest(context: RunContext, messages: ChatMessage[], stepIndex: number): ModelRequest {
  const { config } = context;
  const settings = config.settings;
  const toolSet = context.tools.set;
  const emit = context.emit;
  // Every field written out (not a spread of the settings and more keys, which V8 builds in its
  // runtime, about a microsecond and a half per step); `satisfies` keeps the list complete.
  return {
    toolChoice:
      stepIndex === 0 && config.firstToolChoice !== undefined ? config.firstToolChoice : settings.toolChoice,
    thinking: settings.thinking,
    reasoningEffort: settings.reasoningEffort,
    responseFormat: settings.responseFormat,
    maxTokens: settings.maxTokens,
    temperature: settings.temperature,
    topP: settings.topP,
    userId: context.userId ?? settings.userId,
    messages,
    tools:
      toolSet === config.toolSet
        ? settings.tools
        : toolSet.definitions.length > 0
          ? toolSet.definitions
          : undefined,
    modelId: config.model === config.languageModel.modelId ? undefined : config.model,
    runId: context.runId,
    stepIndex,
    requestOptions:
      context.observation?.telemetry?.requestOptions(context.requestOptions, stepIndex) ??
      context.requestOptions,
    onDelta:
      emit === undefined
        ? undefined
        : (type: ModelDeltaType, text: string) => emit({ type, stepIndex, text }),
  } satisfies Record<keyof ModelRequest, unknown>;
}

/**
 * The turn's message as it joins the history, with `toolCalls` as its calls: the model's own
 * message when it already has that shape (the DeepSeek model's always does: no second
 * conversion), else rebuilt with a fixed key order, string `content` and `reasoning_content`
 * (DeepSeek's replay rule) and deeply frozen.
 */
export function historyMessage(
  message: AssistantMessage,
  toolCalls: readonly ToolCall[] | undefined,
): AssistantMessage {
  const own = message.tool_calls;
  const sameCalls = toolCalls === undefined || toolCalls.length === 0 ? own === undefined : own === toolCalls;
  if (
    sameCalls &&
    message.role === 'assistant' &&
    typeof message.content === 'string' &&
    typeof message.reasoning_content === 'string' &&
    isDeepFrozen(message)
  ) {
    return message;
  }
  return assistantMessage(message.content ?? '', message.reasoning_content ?? '', toolCalls);
}
