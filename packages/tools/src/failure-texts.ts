/**
 * Every text the model is told when one of its tool calls fails, in one place: invalid arguments,
 * an unknown tool, a throw, a timeout, a cancellation, a rejection by the user, ... The tool
 * runner (this package) and the agent loop both answer calls with these, so the model always
 * reads one wording per failure, and each says what to do next.
 *
 * `content` texts go to the model as the tool message; `error` texts are for the program
 * (`ToolCallRecord.error`, events, traces). Not public API: the agent imports it from
 * `@plumb/tools/internal`.
 */

/** What an invalid-arguments answer asks the model to do. */
const CALL_AGAIN = 'Fix the arguments and call the tool again.';

/** The arguments could not be used (invalid JSON, cut off, or not matching the schema). */
export function invalidArgumentsText(problem: string): string {
  return `Error: ${problem}\n${CALL_AGAIN}`;
}

/** The tool's code threw or rejected (`detail` is what it threw, described). */
export function toolThrewText(toolName: string, detail: string): string {
  return `Error: tool "${toolName}" failed: ${detail}`;
}

/** The tool returned something that is not JSON-serializable. */
export function unserializableResultText(toolName: string): string {
  return `Error: tool "${toolName}" failed: its result could not be serialized.`;
}

/** The call ran past its timeout and was cancelled. */
export function timedOutText(toolName: string, timeoutMs: number): string {
  return `Error: tool "${toolName}" timed out after ${timeoutMs} ms and was cancelled. Try a smaller request or another approach.`;
}

/** The run was aborted before the call finished (or before it started). */
export function cancelledText(toolName: string): string {
  return `Error: tool "${toolName}" was cancelled because the run was aborted.`;
}

/** The tool list of an unknown-tool answer. */
function availableTools(names: readonly string[]): string {
  return names.length > 0 ? names.join(', ') : '(none)';
}

/**
 * The model called a tool the run does not offer (a typo, a tool of another step's subset, or one
 * the resuming agent no longer has). One answer for every such case.
 */
export function unknownToolText(toolName: string, available: readonly string[]): string {
  return `Error: there is no tool named "${toolName}". Available tools: ${availableTools(available)}. Call one of them.`;
}

/** The program's side of an unknown tool (the call's `error`; traces classify it by this start). */
export function unknownToolError(toolName: string, available: readonly string[]): string {
  return `The model called unknown tool "${toolName}". Available tools: ${availableTools(available)}.`;
}

/** Two calls of one turn shared an id, so none of them ran. */
export function duplicateCallIdText(sharedId: string): string {
  return `Error: this call was not run because another call of the same turn had the same id (${JSON.stringify(sharedId)}). Call the tool again if you still need it.`;
}

/** The tool's `needsApproval` check itself threw. */
export function approvalCheckFailedText(toolName: string, message: string): string {
  return `Error: tool "${toolName}" could not be checked for approval: ${message}`;
}

/** The user (or the program) rejected the call, optionally saying why. */
export function rejectedText(toolName: string, reason: string | undefined): string {
  return `Error: the user rejected this call of tool "${toolName}"${reason === undefined ? '.' : `: ${reason}`} Do not retry it unchanged.`;
}

/** The program's side of a rejection. */
export function rejectedError(reason: string | undefined): string {
  return reason === undefined ? 'rejected by the user' : `rejected by the user: ${reason}`;
}
