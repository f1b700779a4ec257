/**
 * DeepSeek messages in the shape of the GenAI conventions' content attributes
 * (`gen_ai.input.messages`, `gen_ai.output.messages`, `gen_ai.system_instructions`): a role and a
 * list of typed parts. Only built when `recordContent` is on.
 */
import type { ChatMessage, ToolCall } from '../wire/wire-types.js';

export interface ContentPart {
  type: 'text' | 'reasoning' | 'tool_call' | 'tool_call_response';
  content?: string;
  id?: string;
  name?: string;
  arguments?: unknown;
  response?: unknown;
}

export interface ContentMessage {
  role: string;
  parts: ContentPart[];
  finish_reason?: string;
}

function text(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) =>
        typeof (part as { text?: unknown })?.text === 'string' ? (part as { text: string }).text : '',
      )
      .join('');
  }
  return content === null || content === undefined ? '' : String(content);
}

function parseArguments(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** An assistant turn's parts: reasoning, text, then tool calls. */
export function assistantParts(
  content: string | null | undefined,
  reasoning: string | null | undefined,
  toolCalls: readonly ToolCall[] | undefined,
): ContentPart[] {
  const parts: ContentPart[] = [];
  if (reasoning) parts.push({ type: 'reasoning', content: reasoning });
  if (content) parts.push({ type: 'text', content });
  for (const call of toolCalls ?? []) {
    parts.push({
      type: 'tool_call',
      id: call.id,
      name: call.function?.name,
      arguments: parseArguments(call.function?.arguments ?? ''),
    });
  }
  return parts;
}

/** The system messages' text (for `gen_ai.system_instructions`) and the other messages. */
export function inputMessages(messages: readonly ChatMessage[]): {
  system: ContentPart[];
  messages: ContentMessage[];
} {
  const system: ContentPart[] = [];
  const out: ContentMessage[] = [];
  for (const message of messages) {
    switch (message?.role) {
      case 'system':
        system.push({ type: 'text', content: text(message.content) });
        break;
      case 'user':
        out.push({ role: 'user', parts: [{ type: 'text', content: text(message.content) }] });
        break;
      case 'assistant':
        out.push({
          role: 'assistant',
          parts: assistantParts(message.content, message.reasoning_content, message.tool_calls),
        });
        break;
      case 'tool':
        out.push({
          role: 'tool',
          parts: [{ type: 'tool_call_response', id: message.tool_call_id, response: text(message.content) }],
        });
        break;
      default:
        break;
    }
  }
  return { system, messages: out };
}
