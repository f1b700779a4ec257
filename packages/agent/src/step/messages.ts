import type { AssistantMessage, ChatMessage, ToolCall, ToolMessage, UserContentPart } from '@plumb/core';
import { CallPairing, freezeOwnData } from '@plumb/core/internal';
import { AgentConfigError } from '../errors.js';

/**
 * Builds an assistant message once, with a fixed key order, so that it serializes to the same
 * bytes in every later request (DeepSeek's prefix cache). `reasoning_content` is always present
 * (`""` when the turn had none): DeepSeek's thinking mode rejects a request with tools whose
 * history has an assistant turn without it. Frozen (deeply): the history is append-only, and core
 * serializes and checks a frozen message once (see history-seal.ts).
 */
export function assistantMessage(
  content: string,
  reasoning: string,
  toolCalls: readonly ToolCall[] | undefined,
): AssistantMessage {
  // Frozen and recorded as deeply frozen in one walk (freezeOwnData): no second walk later.
  if (toolCalls === undefined || toolCalls.length === 0) {
    return freezeOwnData({ role: 'assistant', content, reasoning_content: reasoning });
  }
  const calls: ToolCall[] = new Array(toolCalls.length);
  for (let i = 0; i < toolCalls.length; i++) {
    const call = toolCalls[i] as ToolCall;
    calls[i] = {
      id: call.id,
      type: 'function',
      function: { name: call.function.name, arguments: call.function.arguments },
    };
  }
  return freezeOwnData({ role: 'assistant', content, reasoning_content: reasoning, tool_calls: calls });
}

/** A tool message answering `callId`, keys in a fixed order; frozen when its content is text. */
export function toolMessage(callId: string, content: string | UserContentPart[]): ToolMessage {
  const message: ToolMessage = { role: 'tool', tool_call_id: callId, content };
  // Image parts may be the tool's own objects: history-seal.ts freezes a copy before sending.
  return typeof content === 'string' ? freezeOwnData(message) : message;
}

/**
 * Turns `run()` input into the history to send: a string becomes a user message; a history is
 * checked once (roles, every tool call answered, tool messages answering a call) and copied,
 * never mutated. The agent's system message (`system`) is put first unless the history already
 * starts with exactly that message (a continued conversation, whose prefix stays byte-stable);
 * a different system message of the history stays where it is, after the agent's. Assistant
 * turns without a string `reasoning_content` get `""` (DeepSeek's replay rule).
 */
export function initialHistory(
  input: string | readonly ChatMessage[],
  system: string | undefined,
): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (typeof input === 'string') {
    if (system !== undefined) messages.push({ role: 'system', content: system });
    messages.push({ role: 'user', content: input });
    return messages;
  }
  if (!Array.isArray(input)) {
    throw new AgentConfigError('input', 'expected a string or an array of chat messages (ChatMessage[]).');
  }
  if (input.length === 0) {
    throw new AgentConfigError(
      'input',
      'the message history is empty: pass a string or at least one message.',
    );
  }
  const first = input[0];
  if (system !== undefined && !(first?.role === 'system' && first.content === system)) {
    messages.push({ role: 'system', content: system });
  }
  // Roles and tool-call pairing: core's rules (the same walk pre-flight does on every request).
  const pairing = new CallPairing();
  for (let i = 0; i < input.length; i++) {
    const message = input[i] as ChatMessage;
    const problem = pairing.next(message, i);
    if (problem !== undefined) throw new AgentConfigError('input', problem.message);
    if (message.role === 'assistant' && typeof message.reasoning_content !== 'string') {
      messages.push({ ...message, reasoning_content: '' });
    } else {
      messages.push(message);
    }
  }
  const unanswered = pairing.end();
  if (unanswered !== undefined) throw new AgentConfigError('input', unanswered.message);
  return messages;
}
