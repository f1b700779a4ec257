/**
 * Histories whose owner promised they only grow. Core's incremental work per request (body-json.ts,
 * message-checks.ts) keeps what it did for a history's leading frozen messages, and before reusing
 * it compares that prefix with the array, one pointer per message, to notice a message replaced or
 * removed in place (`messages[3] = other`, `splice`). That comparison is O(history) per request:
 * half of a step's client cost at 10,000 steps.
 *
 * An owner that never replaces or removes an element of its array, and has not handed it to code
 * that might, can promise so: core then trusts the kept prefix without the comparison. The promise
 * is per array and ends for good when revoked (the owner hands the array to code it does not own);
 * an array nobody promised for, which is every array an application passes to the client, is
 * compared as before.
 *
 * The agent is the one owner (agent/src/step/history-seal.ts): its history arrays are its own
 * copies, it only appends to them, and it revokes before any hook, `prepareStep`, stop condition,
 * compaction strategy or model of the application sees one.
 */

/** true: promised append-only; false: revoked (for good). Absent: never promised. */
const promises = new WeakMap<readonly unknown[], boolean>();

/**
 * The owner's promise that `messages` only grows from now on: no element is replaced or removed
 * (appending is fine). Does nothing once revoked.
 */
export function promiseAppendOnly(messages: readonly unknown[]): void {
  if (!promises.has(messages)) promises.set(messages, true);
}

/** Ends the promise for `messages` for good (it was handed to code that may change it in place). */
export function revokeAppendOnly(messages: readonly unknown[]): void {
  promises.set(messages, false);
}

/** Whether the kept prefix of `messages` can be reused without comparing it with the array. */
export function isAppendOnly(messages: readonly unknown[]): boolean {
  return promises.get(messages) === true;
}
