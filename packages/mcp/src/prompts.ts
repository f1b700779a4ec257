import type { ChatMessage, UserContentPart } from '@plumb/core';
import { type McpContentBlock, toParts } from './results.js';

/** A message of `prompts/get`, loosely typed. */
export interface McpPromptMessage {
  role: string;
  content: McpContentBlock;
}

function text(parts: readonly UserContentPart[]): string {
  return parts.map((part) => (part.type === 'text' ? part.text : '[image]')).join('\n');
}

/**
 * MCP prompt messages as DeepSeek chat messages: consecutive messages of one role are merged (MCP
 * sends one content block per message); user messages keep image parts, assistant messages are
 * text only (DeepSeek rejects images there) and carry `reasoning_content: ''` (its replay rule).
 */
export function promptMessages(messages: readonly McpPromptMessage[], images: boolean): ChatMessage[] {
  const out: ChatMessage[] = [];
  let role: 'user' | 'assistant' | undefined;
  let parts: UserContentPart[] = [];
  const flush = (): void => {
    if (role === undefined || parts.length === 0) return;
    if (role === 'assistant') {
      out.push({ role: 'assistant', content: text(parts), reasoning_content: '' });
    } else {
      out.push({ role: 'user', content: parts.every((part) => part.type === 'text') ? text(parts) : parts });
    }
    parts = [];
  };
  for (const message of messages) {
    const next = message.role === 'assistant' ? 'assistant' : 'user';
    if (next !== role) flush();
    role = next;
    parts.push(...toParts(message.content, images && next === 'user'));
  }
  flush();
  return out;
}
