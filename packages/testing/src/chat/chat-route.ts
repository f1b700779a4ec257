import type { Exchange } from '../http/exchange.js';
import { mergeFaults } from '../http/faults.js';
import { isTerminalFault, sendBody, sendEvents, sendFault } from '../http/send-reply.js';
import type { Fault } from '../types.js';
import { badRequest, texts } from '../wire/errors.js';
import { buildUsage, estimateTokens } from '../wire/usage.js';
import { buildChatAnswer, type ChatAnswer } from './chat-answer.js';
import { type CompletionMeta, chatChunkEvents, chatCompletionBody, type WireOptions } from './chat-wire.js';
import { nextTurn } from './next-turn.js';
import { renderChatPrompt, renderMessage } from './render-prompt.js';
import { defaultMaxTokens, validateChat } from './validate-chat.js';

/** `POST /chat/completions` (also under `/v1` and `/beta`). */
export async function handleChat(
  exchange: Exchange,
  beta: boolean,
  globalFault: Fault | undefined,
): Promise<void> {
  const { state, record } = exchange;
  const plan = validateChat(record.body, record.rawBody, beta);
  const mode = { hasTools: plan.toolNames.length > 0, thinking: plan.thinking };
  const prompt = renderChatPrompt(plan.body, mode);
  const promptTokens = Math.max(1, estimateTokens(prompt));
  const completionBudget = plan.maxTokens ?? defaultMaxTokens(plan);
  if (promptTokens + completionBudget > state.contextWindow) {
    throw badRequest(texts.contextLength(state.contextWindow, promptTokens, completionBudget));
  }

  const turn = await nextTurn(exchange, plan.thinking);
  const fault = mergeFaults(globalFault, turn?.fault);
  if (isTerminalFault(fault)) return sendFault(exchange, fault, plan.stream);

  const answer = buildChatAnswer(plan, turn, state.ids);
  const cacheHitTokens = state.cache.lookup(prompt, promptTokens);
  state.cache.store(prompt, renderMessage(outputMessage(answer), mode));
  const reasoningTokens = plan.thinking ? estimateTokens(answer.reasoning ?? '') : undefined;
  const toolTokens = answer.toolCalls.reduce(
    (sum, call) => sum + estimateTokens(call.name + call.arguments),
    0,
  );
  const completionTokens = Math.max(1, (reasoningTokens ?? 0) + estimateTokens(answer.content) + toolTokens);
  const usage = buildUsage({ promptTokens, cacheHitTokens, completionTokens, reasoningTokens }, turn?.usage);

  const meta: CompletionMeta = {
    id: state.ids.uuid(),
    created: Math.floor(state.now() / 1000),
    model: plan.modelId,
    fingerprint: plan.model.fingerprint,
  };
  const options: WireOptions = {
    thinking: plan.thinking,
    includeUsage: plan.includeUsage,
    logprobs: plan.logprobs,
    topLogprobs: plan.topLogprobs,
  };
  if (plan.stream) await sendEvents(exchange, chatChunkEvents(meta, answer, usage, options), fault);
  else await sendBody(exchange, chatCompletionBody(meta, answer, usage, options), fault);
}

/** The assistant message a client appends to its history after this answer. */
function outputMessage(answer: ChatAnswer): Record<string, unknown> {
  return {
    role: 'assistant',
    content: answer.content,
    reasoning_content: answer.reasoning,
    tool_calls: answer.toolCalls.map((call) => ({
      function: { name: call.name, arguments: call.arguments },
    })),
  };
}
