import type { ChatMessage } from '@plumb/core';
import { blockStart, blocksOf, freeRange } from './blocks.js';
import type { CompactionInput, ContextStrategy } from './strategy.js';

export interface DropOldestTurnsOptions {
  /** The most recent blocks never dropped. @default 4 */
  keepLast?: number | undefined;
}

/**
 * Drops the oldest blocks after the pinned start (system messages and the first user message)
 * until enough is freed: whole user turns, or assistant turns with all their tool results. A
 * short user note says that earlier steps were dropped. The last resort: the cached prefix is
 * kept only up to the pinned start.
 */
export function dropOldestTurns(options: DropOldestTurnsOptions = {}): ContextStrategy {
  const keepLast = options.keepLast ?? 4;
  return {
    name: 'dropOldestTurns',
    compact(input: CompactionInput) {
      const { messages } = input;
      const blocks = blocksOf(messages);
      const range = freeRange(blocks, keepLast);
      if (range.first >= range.last) return undefined;
      const start = blockStart(blocks, range.first, messages.length);
      let end = start;
      let freed = 0;
      let dropped = 0;
      for (let b = range.first; b < range.last && freed < input.excess; b++) {
        const next = blockStart(blocks, b + 1, messages.length);
        for (let i = end; i < next; i++) freed += input.tokensOf(messages[i] as ChatMessage);
        dropped += next - end;
        end = next;
      }
      if (dropped === 0) return undefined;
      const note: ChatMessage = {
        role: 'user',
        content: `[${dropped} earlier messages were dropped to fit the context window.]`,
      };
      return { messages: [...messages.slice(0, start), note, ...messages.slice(end)] };
    },
  };
}
