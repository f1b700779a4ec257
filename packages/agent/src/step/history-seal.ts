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
 *
 * A history array is the agent's own (a copy of the run's input or of a rewrite) and the agent
 * only appends to it, so it promises core the array is append-only (core's append-only.ts): core
 * then reuses its work on the kept prefix without comparing it with the array, pointer by pointer,
 * on every request. The promise ends for good once the array is shared with the application's
 * code (`shareHistory`: a hook, `prepareStep`, a stop condition, a compaction strategy) or sent to
 * a model other than the agent's own DeepSeek model (a custom model or a middleware): that code
 * could replace a message in place, and core compares again from then on.
 */
import { type ChatMessage, deepFreeze, isDeepFrozen } from '@plumb/core';
import { promiseAppendOnly, revokeAppendOnly } from '@plumb/core/internal';

/** How many leading messages of each history were sealed. */
const sealed = new WeakMap<ChatMessage[], number>();

/**
 * Seals `messages` before a request. `ownModel`: the request goes to the agent's own DeepSeek
 * model, which hands the array to core and to nothing else.
 */
export function sealHistory(messages: ChatMessage[], ownModel: boolean): void {
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
  if (ownModel) promiseAppendOnly(messages);
  else revokeAppendOnly(messages);
}

/**
 * The history as handed to the application's code (typed read-only, but a JavaScript caller can
 * still change it in place): core stops trusting it as append-only, for good.
 */
export function shareHistory(messages: readonly ChatMessage[]): readonly ChatMessage[] {
  revokeAppendOnly(messages);
  return messages;
}
