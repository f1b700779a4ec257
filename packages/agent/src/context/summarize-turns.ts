import { type ChatMessage, costOf, type ModelId } from '@plumb/core';
import { blockStart, blocksOf, freeRange } from './blocks.js';
import type { CompactionInput, ContextStrategy } from './strategy.js';

export interface SummarizeTurnsOptions {
  /** The most recent blocks left as they are. @default 6 */
  keepLast?: number | undefined;
  /** The model that writes the summary, called with thinking off. @default 'deepseek-flash' */
  model?: ModelId | undefined;
  /** `max_tokens` of the summary call (also the summary's size the strategy plans with). @default 1024 */
  maxTokens?: number | undefined;
  /** The summarizer's system prompt. */
  instructions?: string | undefined;
}

const INSTRUCTIONS =
  'You compress part of an agent conversation so the agent can go on without it. Write a dense summary: ' +
  'the facts learned, tool results that still matter (with exact values), decisions taken, and what was still ' +
  'to be done. Do not address the user. Plain text, no preamble.';

/** The prefix of the user message that replaces the summarized blocks. */
export const SUMMARY_PREFIX = '[Summary of earlier steps, compacted to fit the context window]\n';

/**
 * Replaces a run of older blocks with one user message holding a summary written by a cheap
 * model call (Flash, thinking off). The summarized range ends where the kept recent blocks begin
 * and starts as late as still frees enough, so the cached prefix before it survives. The call's
 * usage and cost are reported with the compaction.
 */
export function summarizeTurns(options: SummarizeTurnsOptions = {}): ContextStrategy {
  const keepLast = options.keepLast ?? 6;
  const model = options.model ?? 'deepseek-flash';
  const maxTokens = options.maxTokens ?? 1024;
  const instructions = options.instructions ?? INSTRUCTIONS;
  return {
    name: 'summarizeTurns',
    async compact(input: CompactionInput) {
      const { messages } = input;
      const blocks = blocksOf(messages);
      const range = freeRange(blocks, keepLast);
      if (range.last - range.first < 2) return undefined;
      const end = blockStart(blocks, range.last, messages.length);
      // Walk back from the kept blocks until the range frees enough beyond the summary's size.
      let first = range.last;
      let tokens = 0;
      while (first > range.first && tokens - maxTokens < input.excess) {
        first--;
        const from = blockStart(blocks, first, messages.length);
        const to = blockStart(blocks, first + 1, messages.length);
        for (let i = from; i < to; i++) tokens += input.tokensOf(messages[i] as ChatMessage);
      }
      if (range.last - first < 2 || tokens <= maxTokens) return undefined;
      const start = blockStart(blocks, first, messages.length);
      const completion = await input.client.chat.completions.create(
        {
          model,
          messages: [
            { role: 'system', content: instructions },
            { role: 'user', content: transcript(messages.slice(start, end)) },
          ],
          thinking: { type: 'disabled' },
          max_tokens: maxTokens,
          ...(input.userId === undefined ? {} : { user_id: input.userId }),
        },
        { signal: input.signal },
      );
      const summary = completion.choices[0]?.message.content ?? '';
      const usage = completion.usage ?? undefined;
      let cost: ReturnType<typeof costOf> | undefined;
      if (usage !== undefined) {
        try {
          cost = costOf(usage, model, { at: new Date(), currency: input.currency });
        } catch {
          cost = undefined; // a model without a published price
        }
      }
      const note: ChatMessage = { role: 'user', content: `${SUMMARY_PREFIX}${summary}` };
      return { messages: [...messages.slice(0, start), note, ...messages.slice(end)], usage, cost };
    },
  };
}

/** The summarized blocks as plain text (reasoning left out: the summary keeps outcomes). */
function transcript(messages: readonly ChatMessage[]): string {
  const lines: string[] = [];
  for (const message of messages) {
    if (message.role === 'assistant') {
      if (message.content) lines.push(`Assistant: ${message.content}`);
      for (const call of message.tool_calls ?? []) {
        lines.push(`Assistant called ${call.function.name}(${call.function.arguments})`);
      }
    } else if (message.role === 'tool') {
      lines.push(
        `Tool result: ${typeof message.content === 'string' ? message.content : JSON.stringify(message.content)}`,
      );
    } else {
      const content = typeof message.content === 'string' ? message.content : JSON.stringify(message.content);
      lines.push(`${message.role === 'user' ? 'User' : 'System'}: ${content}`);
    }
  }
  return lines.join('\n');
}
