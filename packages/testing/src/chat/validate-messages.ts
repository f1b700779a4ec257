import { badRequest, texts } from '../wire/errors.js';
import type { JsonObject } from '../wire/serde.js';

/**
 * Conversation-shape rules: every `tool` message answers a call of the assistant message right
 * before it (tool messages in between are fine), and every call is answered before the next
 * non-tool message. A `prefix: true` message must be the last one, an assistant message, and is
 * only accepted on `/beta`.
 */
export function validateMessageOrder(messages: JsonObject[], beta: boolean): void {
  if (messages.length === 0) throw badRequest(texts.emptyArray('messages'));
  let pending: Set<string> | undefined;
  messages.forEach((message, index) => {
    if (message.prefix === true) {
      if (index !== messages.length - 1 || message.role !== 'assistant')
        throw badRequest(texts.prefixNotLast);
      if (!beta) throw badRequest(texts.prefixOnlyBeta);
    }
    if (message.role === 'tool') {
      const id = String(message.tool_call_id);
      if (!pending?.delete(id)) throw badRequest(texts.toolMessageWithoutCall);
      return;
    }
    if (pending && pending.size > 0) throw badRequest(texts.insufficientToolMessages);
    pending = undefined;
    const calls = message.role === 'assistant' ? message.tool_calls : undefined;
    if (Array.isArray(calls) && calls.length > 0) {
      pending = new Set(calls.map((call: JsonObject) => String(call.id)));
    }
  });
  if (pending && pending.size > 0) throw badRequest(texts.insufficientToolMessages);
}

/**
 * The V4 replay rule (docs from 2026-08-27): in thinking mode, when the request carries tools,
 * every earlier assistant message must have a `reasoning_content` key (an empty string is fine;
 * `null` counts as missing). A trailing `prefix: true` message is exempt.
 */
export function validateReasoningReplay(messages: JsonObject[]): void {
  for (const message of messages) {
    if (message.role !== 'assistant' || message.prefix === true) continue;
    if (typeof message.reasoning_content !== 'string') throw badRequest(texts.reasoningReplay);
  }
}
