/**
 * Seals the history before each request: every message is deeply frozen from its first request
 * on, so core serializes and checks it once (its work per request grows with what is new, not
 * with the history: see core's body-json.ts and message-checks.ts).
 *
 * The agent's own messages are frozen when made (messages.ts). Any other message in the history
 * (the run's input, a correction, a summary or a `prepareStep` rewrite, image parts of a tool
 * result) is replaced in the agent's own array by a frozen copy, made by a JSON round trip (the
 * exact bytes that would be sent): the caller's objects are never frozen or changed. A message
 * that cannot be copied that way stays as it is and is serialized on every request.
 */
import { type ChatMessage, deepFreeze, isDeepFrozen } from '@plumb/core';

/** How many leading messages of each history were sealed. */
const sealed = new WeakMap<ChatMessage[], number>();

export function sealHistory(messages: ChatMessage[]): void {
  const length = messages.length;
  let i = sealed.get(messages) ?? 0;
  if (i > length) i = 0;
  for (; i < length; i++) {
    const message = messages[i];
    if (isDeepFrozen(message)) continue;
    let copy: ChatMessage;
    try {
      copy = JSON.parse(JSON.stringify(message));
    } catch {
      continue; // a cycle or a BigInt: pre-flight or the request reports it
    }
    if (copy === null || typeof copy !== 'object') continue;
    messages[i] = deepFreeze(copy);
  }
  sealed.set(messages, length);
}
