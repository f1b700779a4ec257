import { type EmulatorState, StateSlot } from '../state.js';
import type { Turn } from '../types.js';
import { estimateTokens } from '../wire/usage.js';
import { buildChatAnswer, type ChatAnswer } from './chat-answer.js';
import { type CompletionMeta, chatBodyEvents, chatCompletionParts, type WireOptions } from './chat-wire.js';
import { type RenderMode, renderMessage } from './render-prompt.js';
import { printText, type TextPrint } from './text-print.js';
import type { ChatPlan } from './validate-chat.js';

/** Stream events are pre-rendered into buffers of about this many characters. */
const PRERENDER_BATCH_CHARS = 64 * 1024;

/** One answer, ready for the wire except for its usage (which depends on the request). */
export interface RenderedAnswer {
  answer: ChatAnswer;
  meta: CompletionMeta;
  options: WireOptions;
  completionTokens: number;
  reasoningTokens: number | undefined;
  /** The assistant message as the next request renders it (text, or its print when cached). */
  output: string | TextPrint;
  /** Pre-rendered turns: every stream event before the final one, as UTF-8 buffers. */
  streamBody?: Buffer[] | undefined;
  /** Pre-rendered turns: the non-stream body around its usage. */
  parts?: { beforeUsage: string; afterUsage: string } | undefined;
}

/** Cached renderings of `prerender` turns, per request variant (kept across `reset()`). */
const PRERENDERED = new StateSlot(() => new WeakMap<Turn, Map<string, RenderedAnswer>>());

/** Renders this request's answer, or reuses the turn's cached rendering (`turn.prerender`). */
export function renderedAnswer(
  state: EmulatorState,
  plan: ChatPlan,
  mode: RenderMode,
  turn: Turn | undefined,
): RenderedAnswer {
  if (!turn?.prerender) return render(state, plan, mode, turn);
  const key = variantKey(plan, mode);
  const prerendered = PRERENDERED.of(state);
  let variants = prerendered.get(turn);
  if (!variants) {
    variants = new Map();
    prerendered.set(turn, variants);
  }
  let rendered = variants.get(key);
  if (!rendered) {
    rendered = render(state, plan, mode, turn);
    rendered.output = printText(rendered.output as string);
    if (plan.stream) rendered.streamBody = prerenderEvents(rendered);
    else rendered.parts = chatCompletionParts(rendered.meta, rendered.answer, rendered.options);
    variants.set(key, rendered);
  }
  return rendered;
}

function render(
  state: EmulatorState,
  plan: ChatPlan,
  mode: RenderMode,
  turn: Turn | undefined,
): RenderedAnswer {
  const answer = buildChatAnswer(plan, turn, state.ids);
  const reasoningTokens = plan.thinking ? estimateTokens(answer.reasoning ?? '') : undefined;
  let toolTokens = 0;
  for (const call of answer.toolCalls) toolTokens += estimateTokens(call.name + call.arguments);
  return {
    answer,
    meta: {
      id: state.ids.uuid(),
      created: Math.floor(state.now() / 1000),
      model: plan.modelId,
      fingerprint: plan.model.fingerprint,
    },
    options: {
      thinking: plan.thinking,
      includeUsage: plan.includeUsage,
      logprobs: plan.logprobs,
      topLogprobs: plan.topLogprobs,
    },
    completionTokens: Math.max(1, (reasoningTokens ?? 0) + estimateTokens(answer.content) + toolTokens),
    reasoningTokens,
    output: renderMessage(outputMessage(answer), mode),
  };
}

/** Everything in a request that changes a turn's rendered answer. */
function variantKey(plan: ChatPlan, mode: RenderMode): string {
  return JSON.stringify([
    plan.modelId,
    plan.stream,
    plan.thinking,
    plan.includeUsage,
    plan.logprobs,
    plan.topLogprobs,
    plan.maxTokens ?? null,
    plan.body.stop ?? null,
    plan.jsonMode,
    plan.prefix !== undefined,
    mode.hasTools,
  ]);
}

function prerenderEvents(rendered: RenderedAnswer): Buffer[] {
  const buffers: Buffer[] = [];
  let batch = '';
  for (const event of chatBodyEvents(rendered.meta, rendered.answer, rendered.options)) {
    batch += event;
    if (batch.length >= PRERENDER_BATCH_CHARS) {
      buffers.push(Buffer.from(batch, 'utf8'));
      batch = '';
    }
  }
  if (batch !== '') buffers.push(Buffer.from(batch, 'utf8'));
  return buffers;
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
