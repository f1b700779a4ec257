import type { EmulatorFinishReason, Turn } from '../types.js';
import { type IdSource, toolCallId } from '../wire/ids.js';
import type { JsonObject } from '../wire/serde.js';
import { spacedJson } from '../wire/spaced-json.js';
import { estimateTokens, truncateToTokens } from '../wire/usage.js';
import { type ChatPlan, defaultMaxTokens } from './validate-chat.js';

/** What the emulated model says in one chat completion. */
export interface ChatAnswer {
  /** `reasoning_content` (thinking mode only). */
  reasoning: string | undefined;
  content: string;
  toolCalls: Array<{ id: string; name: string; arguments: string }>;
  finishReason: EmulatorFinishReason;
  deltaSize: number | undefined;
}

const PARTIAL_REASONS = new Set<EmulatorFinishReason>([
  'length',
  'content_filter',
  'insufficient_system_resource',
  'aborted',
]);

/**
 * Builds the answer from the scripted turn (or a generic one), then applies what the real model
 * would: `stop` sequences cut the content, an explicit `max_tokens` truncates reasoning, then
 * content, then drops tool calls, with `finish_reason: "length"`. JSON mode without the word
 * "json" in the prompt floods whitespace up to the limit (a known DeepSeek behaviour) when the
 * script gives no content.
 */
export function buildChatAnswer(plan: ChatPlan, turn: Turn | undefined, ids: IdSource): ChatAnswer {
  const toolCalls = (turn?.toolCalls ?? []).map((call, position) => ({
    id: call.id ?? toolCallId(ids, position),
    name: call.name,
    arguments: typeof call.arguments === 'string' ? call.arguments : spacedJson(call.arguments),
  }));
  let finishReason: EmulatorFinishReason =
    turn?.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop');
  let content = turn?.content;
  if (turn?.leakToolCalls && toolCalls.length > 0) {
    content = `${content ?? ''}${dsml(toolCalls, turn.leakToolCalls === 'ascii' ? '|' : '｜')}`;
    toolCalls.length = 0;
    finishReason = turn.finishReason ?? 'stop';
  }
  if (content === undefined) {
    if (toolCalls.length > 0) content = '';
    else if (plan.jsonMode && !mentionsJson(plan.messages)) {
      const budget = Math.min(plan.maxTokens ?? defaultMaxTokens(plan), 4096);
      content = truncateToTokens('\n'.repeat(Math.ceil(budget / 0.3) + 3), budget);
      finishReason = 'length';
    } else content = defaultContent(plan);
    if (PARTIAL_REASONS.has(finishReason) && turn?.finishReason)
      content = content.slice(0, Math.ceil(content.length / 2));
  }
  const reasoning = plan.thinking ? (turn?.reasoning ?? defaultReasoning(plan, toolCalls)) : undefined;
  const answer: ChatAnswer = { reasoning, content, toolCalls, finishReason, deltaSize: turn?.deltaSize };
  applyStop(answer, plan.body.stop);
  if (plan.maxTokens !== undefined) applyMaxTokens(answer, plan.maxTokens);
  return answer;
}

function applyStop(answer: ChatAnswer, stop: unknown): void {
  const sequences = typeof stop === 'string' ? [stop] : Array.isArray(stop) ? (stop as string[]) : [];
  let cut = -1;
  for (const sequence of sequences) {
    const index = sequence === '' ? -1 : answer.content.indexOf(sequence);
    if (index !== -1 && (cut === -1 || index < cut)) cut = index;
  }
  if (cut === -1) return;
  answer.content = answer.content.slice(0, cut);
  answer.toolCalls = [];
  answer.finishReason = 'stop';
}

function applyMaxTokens(answer: ChatAnswer, maxTokens: number): void {
  let budget = maxTokens;
  const truncate = () => {
    answer.toolCalls = [];
    answer.finishReason = 'length';
  };
  if (answer.reasoning) {
    const tokens = estimateTokens(answer.reasoning);
    if (tokens > budget) {
      answer.reasoning = truncateToTokens(answer.reasoning, budget);
      answer.content = '';
      truncate();
      return;
    }
    budget -= tokens;
  }
  const contentTokens = estimateTokens(answer.content);
  if (contentTokens > budget) {
    answer.content = truncateToTokens(answer.content, budget);
    truncate();
    return;
  }
  budget -= contentTokens;
  const toolTokens = answer.toolCalls.reduce(
    (sum, call) => sum + estimateTokens(call.name + call.arguments),
    0,
  );
  if (toolTokens > budget) truncate();
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter((part: JsonObject) => part.type === 'text')
    .map((part: JsonObject) => String(part.text))
    .join(' ');
}

function lastUserText(messages: JsonObject[]): string {
  for (let index = messages.length - 1; index >= 0; index--) {
    if (messages[index]!.role === 'user') return textOf(messages[index]!.content);
  }
  return '';
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
}

function mentionsJson(messages: JsonObject[]): boolean {
  return messages.some(
    (message) =>
      (message.role === 'system' || message.role === 'user') && /json/i.test(textOf(message.content)),
  );
}

function defaultContent(plan: ChatPlan): string {
  if (plan.prefix) return 'continued by the plumb DeepSeek emulator.';
  const text = `This is a reply from the plumb DeepSeek emulator to: "${snippet(lastUserText(plan.messages))}"`;
  return plan.jsonMode ? JSON.stringify({ reply: text }) : text;
}

function defaultReasoning(plan: ChatPlan, toolCalls: ChatAnswer['toolCalls']): string {
  const plan_ =
    toolCalls.length > 0
      ? `I should call ${toolCalls.map((call) => call.name).join(' and ')}.`
      : 'I can answer directly.';
  return `The user wrote: "${snippet(lastUserText(plan.messages))}". ${plan_}`;
}

/** Tool calls as the DSML markup DeepSeek V4 sometimes writes into `content`. */
function dsml(calls: ChatAnswer['toolCalls'], bar: string): string {
  const tag = `${bar}DSML${bar}`;
  const invokes = calls.map((call) => {
    let args: Record<string, unknown> = {};
    try {
      args = JSON.parse(call.arguments) as Record<string, unknown>;
    } catch {
      // Invalid JSON arguments leak as one raw parameter.
      args = { arguments: call.arguments };
    }
    const parameters = Object.entries(args).map(([name, value]) => {
      const isString = typeof value === 'string';
      const text = isString ? value : JSON.stringify(value);
      return `<${tag}parameter name="${name}" string="${isString}">${text}</${tag}parameter>\n`;
    });
    return `<${tag}invoke name="${call.name}">\n${parameters.join('')}</${tag}invoke>\n`;
  });
  return `<${tag}tool_calls>\n${invokes.join('')}</${tag}tool_calls>`;
}
