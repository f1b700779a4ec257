import type { Exchange } from '../http/exchange.js';
import type { Turn } from '../types.js';
import { badRequest, texts } from '../wire/errors.js';
import { servingModel } from '../wire/models.js';
import { estimateTokens } from '../wire/usage.js';
import { buildChatAnswer, type ChatAnswer } from './chat-answer.js';
import { nextTurn } from './next-turn.js';
import { PROMPT_CACHE } from './prompt-cache.js';
import { renderChatPrompt, renderMessage } from './render-prompt.js';
import { type ChatPlan, defaultMaxTokens, validateChat } from './validate-chat.js';
import { validateImages } from './validate-images.js';

/** One model turn for an endpoint that is not Chat Completions (Responses, Anthropic). */
export interface TurnResult {
  plan: ChatPlan;
  turn: Turn | undefined;
  answer: ChatAnswer;
  promptTokens: number;
  cacheHitTokens: number;
  completionTokens: number;
  reasoningTokens: number;
}

/**
 * The Responses and Anthropic endpoints are other wire formats over the same model: each
 * translates its request into a chat body, and this runs it through the chat rules (model,
 * thinking, tools, images, context length), the script and the prompt cache.
 */
export async function runTurn(exchange: Exchange, chatBody: Record<string, unknown>): Promise<TurnResult> {
  const { state } = exchange;
  const plan = validateChat(chatBody, JSON.stringify(chatBody), false);
  validateImages(exchange, plan);
  const mode = { hasTools: plan.toolNames.length > 0, thinking: plan.thinking };
  const prompt = PROMPT_CACHE.of(state).scan(renderChatPrompt(plan.body, mode), servingModel(plan.model));
  const budget = plan.maxTokens ?? defaultMaxTokens(plan);
  if (prompt.tokens + budget > state.contextWindow) {
    throw badRequest(texts.contextLength(state.contextWindow, prompt.tokens, budget));
  }
  const turn = await nextTurn(exchange, plan.thinking);
  const answer = buildChatAnswer(plan, turn, state.ids);
  const reasoningTokens = plan.thinking ? estimateTokens(answer.reasoning ?? '') : 0;
  let toolTokens = 0;
  for (const call of answer.toolCalls) toolTokens += estimateTokens(call.name + call.arguments);
  const output = renderMessage(
    {
      role: 'assistant',
      content: answer.content,
      reasoning_content: answer.reasoning,
      tool_calls: answer.toolCalls.map((call) => ({
        function: { name: call.name, arguments: call.arguments },
      })),
    },
    mode,
  );
  PROMPT_CACHE.of(state).store(prompt, output);
  return {
    plan,
    turn,
    answer,
    promptTokens: prompt.tokens,
    cacheHitTokens: prompt.hitTokens,
    completionTokens: Math.max(1, reasoningTokens + estimateTokens(answer.content) + toolTokens),
    reasoningTokens,
  };
}
