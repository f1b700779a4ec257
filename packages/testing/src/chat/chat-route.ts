import type { Exchange } from '../http/exchange.js';
import { mergeFaults } from '../http/faults.js';
import {
  isTerminalFault,
  sendBody,
  sendEvents,
  sendFault,
  sendPrerendered,
  shapesStream,
} from '../http/send-reply.js';
import type { Fault } from '../types.js';
import { badRequest, texts } from '../wire/errors.js';
import { servingModel } from '../wire/models.js';
import { buildUsage } from '../wire/usage.js';
import { chatChunkEvents, chatCompletionParts, chatFinalEvent } from './chat-wire.js';
import { nextTurn } from './next-turn.js';
import { PROMPT_CACHE } from './prompt-cache.js';
import { renderChatPrompt } from './render-prompt.js';
import { renderedAnswer } from './rendered-answer.js';
import { defaultMaxTokens, validateChat } from './validate-chat.js';
import { validateImages } from './validate-images.js';

/** `POST /chat/completions` (also under `/v1` and `/beta`). */
export async function handleChat(
  exchange: Exchange,
  beta: boolean,
  globalFault: Fault | undefined,
): Promise<void> {
  const { state, record } = exchange;
  const plan = validateChat(record.body, record.rawBody, beta);
  validateImages(exchange, plan);
  const mode = { hasTools: plan.toolNames.length > 0, thinking: plan.thinking };
  const prompt = PROMPT_CACHE.of(state).scan(renderChatPrompt(plan.body, mode), servingModel(plan.model));
  const promptTokens = prompt.tokens;
  const completionBudget = plan.maxTokens ?? defaultMaxTokens(plan);
  if (promptTokens + completionBudget > state.contextWindow) {
    throw badRequest(texts.contextLength(state.contextWindow, promptTokens, completionBudget));
  }

  const turn = await nextTurn(exchange, plan.thinking);
  const fault = mergeFaults(globalFault, turn?.fault);
  if (isTerminalFault(fault)) return sendFault(exchange, fault, plan.stream);

  const rendered = renderedAnswer(state, plan, mode, turn);
  const { answer, meta, options } = rendered;
  PROMPT_CACHE.of(state).store(prompt, rendered.output);
  const usage = buildUsage(
    {
      promptTokens,
      cacheHitTokens: prompt.hitTokens,
      completionTokens: rendered.completionTokens,
      reasoningTokens: rendered.reasoningTokens,
    },
    turn?.usage,
  );

  if (plan.stream) {
    if (rendered.streamBody && !shapesStream(fault)) {
      const final = chatFinalEvent(meta, answer, usage, options);
      return sendPrerendered(exchange, rendered.streamBody, final, fault);
    }
    return sendEvents(exchange, chatChunkEvents(meta, answer, usage, options), fault);
  }
  const parts = rendered.parts ?? chatCompletionParts(meta, answer, options);
  await sendBody(exchange, parts.beforeUsage + JSON.stringify(usage) + parts.afterUsage, fault);
}
