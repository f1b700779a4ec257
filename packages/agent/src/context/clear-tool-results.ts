import type { ChatMessage } from '@plumb/core';
import { blockStart, blocksOf, freeRange } from './blocks.js';
import type { CompactionInput, ContextStrategy } from './strategy.js';

export interface ClearToolResultsOptions {
  /** The most recent blocks (turns, or assistant turns with their results) left alone. @default 4 */
  keepLast?: number | undefined;
  /** What a cleared result says instead. */
  placeholder?: string | undefined;
}

const PLACEHOLDER = '[result cleared to save context; call the tool again if you need it]';

/**
 * Replaces the content of older tool results with a short placeholder. The tool message stays,
 * so every call keeps its answer; assistant turns (and their reasoning) are untouched. Clears
 * the newest eligible results first and only as many as needed, so the rewrite starts as late in
 * the history as possible and the cached prefix before it survives.
 */
export function clearToolResults(options: ClearToolResultsOptions = {}): ContextStrategy {
  const keepLast = options.keepLast ?? 4;
  const placeholder = options.placeholder ?? PLACEHOLDER;
  return {
    name: 'clearToolResults',
    compact(input: CompactionInput) {
      const { messages } = input;
      const blocks = blocksOf(messages);
      const range = freeRange(blocks, keepLast);
      const end = blockStart(blocks, range.last, messages.length);
      const start = blockStart(blocks, range.first, messages.length);
      const cleared = new Set<number>();
      let freed = 0;
      const placeholderTokens = Math.ceil(placeholder.length * 0.3);
      for (let i = end - 1; i >= start && freed < input.excess; i--) {
        const message = messages[i] as ChatMessage;
        if (message.role !== 'tool' || message.content === placeholder) continue;
        const gain = input.tokensOf(message) - input.tokensOf({ ...message, content: placeholder });
        if (gain <= placeholderTokens) continue;
        cleared.add(i);
        freed += gain;
      }
      if (cleared.size === 0) return undefined;
      return {
        messages: messages.map((message, i) =>
          cleared.has(i) && message.role === 'tool' ? { ...message, content: placeholder } : message,
        ),
      };
    },
  };
}
