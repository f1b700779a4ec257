import type { ChatMessage } from '@plumb/core';

/**
 * A history cut into blocks that compaction may only keep or remove whole: a user message, a
 * system message, or an assistant message together with the tool messages answering its calls.
 * Cutting only at block starts is what keeps every call paired with its result.
 */
export interface Blocks {
  /** Index of each block's first message, ascending. */
  starts: number[];
  /**
   * Index of the first block compaction may touch: the leading system messages and the first
   * user message (the task) are pinned, and stay the start of the cached prefix.
   */
  firstFree: number;
}

export function blocksOf(messages: readonly ChatMessage[]): Blocks {
  const starts: number[] = [];
  let firstFree = -1;
  let seenUser = false;
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i] as ChatMessage;
    if (message.role === 'tool') continue;
    starts.push(i);
    if (firstFree === -1 && seenUser) firstFree = starts.length - 1;
    if (message.role === 'user') seenUser = true;
  }
  return { starts, firstFree: firstFree === -1 ? starts.length : firstFree };
}

/**
 * The block range compaction may touch, keeping the last `keepLast` blocks as they are:
 * `[first, last)` in block numbers (empty when first >= last).
 */
export function freeRange(blocks: Blocks, keepLast: number): { first: number; last: number } {
  return { first: blocks.firstFree, last: Math.max(blocks.firstFree, blocks.starts.length - keepLast) };
}

/** Message index where block `b` starts (the history's length past the last block). */
export function blockStart(blocks: Blocks, b: number, length: number): number {
  return blocks.starts[b] ?? length;
}
