import { nextTurn } from '../chat/next-turn.js';
import { PROMPT_CACHE } from '../chat/prompt-cache.js';
import { renderFimPrompt } from '../chat/render-prompt.js';
import type { Exchange } from '../http/exchange.js';
import { mergeFaults } from '../http/faults.js';
import { isTerminalFault, sendBody, sendEvents, sendFault } from '../http/send-reply.js';
import type { EmulatorFinishReason, Fault } from '../types.js';
import { logprobEntries } from '../wire/logprobs.js';
import { servingModel } from '../wire/models.js';
import { splitText } from '../wire/split.js';
import { buildUsage, estimateTokens, truncateToTokens } from '../wire/usage.js';
import { type FimPlan, validateFim } from './validate-fim.js';

/**
 * `POST /beta/completions` (FIM). Answers are `text_completion` objects; streams send
 * `choices[].text` deltas and `[DONE]` (DeepSeek does not document the stream shape; this is the
 * OpenAI legacy-completions one). A scripted turn's `content` is the completion text.
 */
export async function handleFim(exchange: Exchange, globalFault: Fault | undefined): Promise<void> {
  const { state, record } = exchange;
  const plan = validateFim(record.body, record.rawBody);
  const turn = await nextTurn(exchange, false);
  const fault = mergeFaults(globalFault, turn?.fault);
  if (isTerminalFault(fault)) return sendFault(exchange, fault, plan.stream);

  let text =
    turn?.content ??
    (plan.suffix !== undefined
      ? '\n  // filled in by the plumb DeepSeek emulator\n'
      : ' filled in by the plumb DeepSeek emulator.');
  let finishReason: EmulatorFinishReason =
    turn?.finishReason === 'tool_calls' ? 'stop' : (turn?.finishReason ?? 'stop');
  const stop = plan.body.stop;
  for (const sequence of typeof stop === 'string' ? [stop] : Array.isArray(stop) ? (stop as string[]) : []) {
    const index = sequence === '' ? -1 : text.indexOf(sequence);
    if (index !== -1) text = text.slice(0, index);
  }
  if (plan.maxTokens !== undefined && estimateTokens(text) > plan.maxTokens) {
    text = truncateToTokens(text, plan.maxTokens);
    finishReason = 'length';
  }
  if (plan.echo) text = plan.prompt + text;

  const prompt = PROMPT_CACHE.of(state).scan(
    renderFimPrompt(plan.prompt, plan.suffix),
    servingModel(plan.model),
  );
  PROMPT_CACHE.of(state).store(prompt, text);
  const usage = buildUsage(
    {
      promptTokens: prompt.tokens,
      cacheHitTokens: prompt.hitTokens,
      completionTokens: Math.max(1, estimateTokens(text)),
      reasoningTokens: undefined,
    },
    turn?.usage,
  );
  const head = {
    id: state.ids.uuid(),
    object: 'text_completion',
    created: Math.floor(state.now() / 1000),
    model: plan.modelId,
    system_fingerprint: plan.model.fingerprint,
  };
  const pieces = splitText(text, turn?.deltaSize);
  if (plan.stream) await sendEvents(exchange, fimEvents(head, pieces, finishReason, usage, plan), fault);
  else {
    const logprobs = plan.logprobs === undefined ? null : fimLogprobs(pieces, plan.logprobs);
    const choice = { index: 0, text, logprobs, finish_reason: finishReason };
    await sendBody(exchange, JSON.stringify({ ...head, choices: [choice], usage }), fault);
  }
}

function fimEvents(
  head: Record<string, unknown>,
  pieces: string[],
  finishReason: EmulatorFinishReason,
  usage: Record<string, unknown>,
  plan: FimPlan,
): string[] {
  const prefix = `data: ${JSON.stringify(head).slice(0, -1)},"choices":[{"index":0,"text":`;
  const usageNull = plan.includeUsage ? ',"usage":null' : '';
  const events = pieces.map((piece, index) => {
    const logprobs =
      plan.logprobs === undefined ? 'null' : JSON.stringify(fimLogprobs([piece], plan.logprobs, index));
    return `${prefix}${JSON.stringify(piece)},"logprobs":${logprobs},"finish_reason":null}]${usageNull}}\n\n`;
  });
  events.push(
    `${prefix}"","logprobs":null,"finish_reason":${JSON.stringify(finishReason)}}],"usage":${JSON.stringify(usage)}}\n\n`,
  );
  return events;
}

/** Legacy-completions logprobs: parallel arrays. */
function fimLogprobs(pieces: string[], top: number, offset = 0): Record<string, unknown> {
  const entries = logprobEntries(pieces, top + 1, offset);
  const textOffset: number[] = [];
  let position = 0;
  for (const piece of pieces) {
    textOffset.push(position);
    position += piece.length;
  }
  return {
    text_offset: textOffset,
    token_logprobs: entries.map((entry) => entry.logprob),
    tokens: entries.map((entry) => entry.token),
    top_logprobs: entries.map((entry) =>
      Object.fromEntries(entry.top_logprobs.map((alternative) => [alternative.token, alternative.logprob])),
    ),
  };
}
