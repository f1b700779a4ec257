import type { ChatMessage } from '@plumb/core';
import { AgentError } from '../errors.js';

/**
 * A compaction strategy or a `prepareStep` hook produced a history DeepSeek would reject or that
 * would mislead the model: a tool call without its result (or a result without its call), or an
 * assistant turn whose `reasoning_content` was dropped or changed while thinking mode needs it
 * replayed. The run fails with an AgentRunError whose `cause` is this error; the history before
 * the change is kept in `error.result`.
 */
export class ContextGuardError extends AgentError {
  override readonly name: string = 'ContextGuardError';
  /** Who produced the history: a strategy name or `prepareStep`. */
  readonly source: string;

  constructor(source: string, message: string) {
    super(`${source} produced an invalid history: ${message}`);
    this.source = source;
  }
}

/**
 * Checks a rewritten history against the one it replaces:
 * - every assistant tool call is answered by a tool message right after it, and every tool
 *   message answers such a call;
 * - in thinking mode every assistant message carries a string `reasoning_content`, and an
 *   assistant turn that made tool calls kept in the new history has the original's reasoning,
 *   byte for byte (DeepSeek's replay rule; dropping a whole turn is allowed).
 */
export function checkRewrite(
  source: string,
  before: readonly ChatMessage[],
  after: unknown,
  thinking: boolean,
): ChatMessage[] {
  if (!Array.isArray(after) || after.length === 0) {
    throw new ContextGuardError(source, 'expected a non-empty array of chat messages.');
  }
  const reasoningByCall = new Map<string, unknown>();
  for (const message of before) {
    if (message.role !== 'assistant') continue;
    for (const call of message.tool_calls ?? []) reasoningByCall.set(call.id, message.reasoning_content);
  }
  let open: Set<string> | undefined;
  for (let i = 0; i < after.length; i++) {
    const message = after[i] as ChatMessage | null;
    const role = message?.role;
    if (message === null || typeof message !== 'object' || typeof role !== 'string') {
      throw new ContextGuardError(source, `messages[${i}] is not a chat message.`);
    }
    if (message.role === 'tool') {
      if (open === undefined || !open.delete(message.tool_call_id)) {
        throw new ContextGuardError(
          source,
          `messages[${i}] answers tool call ${JSON.stringify(message.tool_call_id)}, which the assistant message before it did not make (a call was split from its result). ${KEEP_PAIRS}`,
        );
      }
      continue;
    }
    if (open !== undefined && open.size > 0) throw unanswered(source, i, open);
    open = undefined;
    if (message.role !== 'assistant') continue;
    if (thinking && typeof message.reasoning_content !== 'string') {
      throw new ContextGuardError(
        source,
        `messages[${i}] is an assistant message without reasoning_content; in thinking mode DeepSeek rejects it (keep the original turn's reasoning_content, or "" for a turn that had none).`,
      );
    }
    const calls = message.tool_calls ?? [];
    if (calls.length > 0) open = new Set(calls.map((call) => call.id));
    for (const call of calls) {
      const original = reasoningByCall.get(call.id);
      if (thinking && original !== undefined && original !== message.reasoning_content) {
        throw new ContextGuardError(
          source,
          `messages[${i}] (tool call ${JSON.stringify(call.id)}) changed the turn's reasoning_content; DeepSeek's replay rule needs it exactly as the model sent it.`,
        );
      }
    }
  }
  if (open !== undefined && open.size > 0) throw unanswered(source, after.length, open);
  return after as ChatMessage[];
}

/** The fix for a split call, in both messages. */
const KEEP_PAIRS =
  'Keep each assistant message with tool_calls directly followed by one tool message per call, or drop them together.';

function unanswered(source: string, index: number, open: Set<string>): ContextGuardError {
  return new ContextGuardError(
    source,
    `tool call(s) ${[...open].map((id) => JSON.stringify(id)).join(', ')} have no tool message before messages[${index}] (a call was split from its result). ${KEEP_PAIRS}`,
  );
}
