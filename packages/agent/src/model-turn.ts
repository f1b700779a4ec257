import type { ChatCompletionStream, ChatMessage, FinishReason, ToolCall, Usage } from '@plumb/core';
import { stepParams } from './config.js';
import { AgentError } from './errors.js';
import { sealHistory } from './history-seal.js';
import type { RunContext } from './run-context.js';
import { type StepRequest, stepRequest } from './telemetry/step-request.js';

/** One assistant turn, assembled from the stream. */
export interface ModelTurn {
  text: string;
  reasoning: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  usage: Usage | undefined;
  /** The request id and timings of the call. */
  request?: StepRequest | undefined;
}

/** What arrived of a turn that failed or was aborted mid-stream. */
export interface PartialTurn {
  text: string;
  reasoning: string;
  request?: StepRequest | undefined;
}

/**
 * Requests one assistant turn, always streamed (so deltas become events and core's idle timeout
 * applies), and assembles it with core's `finalCompletion()`. Tool calls are only read from the
 * complete turn, never from fragments. On failure `partial` receives what arrived.
 */
export async function requestTurn(
  context: RunContext,
  messages: ChatMessage[],
  stepIndex: number,
  forceToolChoice: boolean,
  partial: PartialTurn,
): Promise<ModelTurn> {
  sealHistory(messages);
  const params = stepParams(context.config, messages, forceToolChoice, context.tools.set);
  if (context.userId !== undefined) params.user_id = context.userId;
  const requestOptions =
    context.observation?.telemetry?.requestOptions(context.requestOptions, stepIndex) ??
    context.requestOptions;
  const startedAt = new Date().toISOString();
  const stream = context.config.client.chat.completions.stream(params, requestOptions);
  try {
    const emit = context.emit;
    if (emit !== undefined) {
      for await (const chunk of stream) {
        const delta = chunk.choices[0]?.delta;
        if (delta === undefined) continue;
        const reasoning = delta.reasoning_content;
        if (reasoning) emit({ type: 'reasoning-delta', stepIndex, text: reasoning });
        const content = delta.content;
        if (content) emit({ type: 'text-delta', stepIndex, text: content });
      }
    }
    const completion = await stream.finalCompletion();
    const choice = completion.choices[0];
    if (choice === undefined) {
      throw new AgentError(
        `DeepSeek answered step ${stepIndex} with no choices (request id ${stream.requestId ?? 'unknown'}).`,
      );
    }
    const message = choice.message;
    return {
      text: message.content ?? '',
      reasoning: message.reasoning_content ?? '',
      toolCalls: message.tool_calls ?? [],
      finishReason: choice.finish_reason,
      usage: completion.usage,
      request: stepRequest(stream, startedAt),
    };
  } catch (error) {
    keepPartial(stream, partial);
    partial.request = stepRequest(stream, startedAt);
    throw error;
  }
}

function keepPartial(stream: ChatCompletionStream, partial: PartialTurn): void {
  const message = stream.snapshot().choices[0]?.message;
  partial.text = message?.content ?? '';
  partial.reasoning = message?.reasoning_content ?? '';
}
