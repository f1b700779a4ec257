import type { AssistantMessage, ChatMessage, Cost, Usage } from '@plumb/core';
import { RunStateError } from './errors.js';
import type { AgentStep, PendingApproval, ToolCallRecord } from './result.js';

/** The program's answer to one pending call. */
export type ApprovalDecision = { approved: true } | { approved: false; reason: string | undefined };

/** The JSON form of a `RunState` (what `JSON.stringify(state)` writes). Plain data only. */
export interface RunStateJSON {
  /** Format version, for `RunState.fromJSON`. */
  version: 1;
  /** The history before the interrupted turn (valid to send as is). */
  messages: ChatMessage[];
  /** Every step so far; the interrupted one last, with `pending` calls. */
  steps: AgentStep[];
  /** The assistant turn whose calls wait for approval (added to the history on resume). */
  turn: AssistantMessage;
  /** Decisions taken so far, by call id. */
  decisions: Record<string, ApprovalDecision>;
  usage: Usage;
  cost: Cost | null;
  consecutiveToolErrors: number;
  outputRetries: number;
  /**
   * Fingerprints of the tool definitions of each pack whose tools can change (an MCP server), as
   * they were at the pause. Resuming against different definitions fails with a RunStateError.
   */
  toolPins?: Record<string, string> | undefined;
  /** Links a resumed run to the run that paused (telemetry span links, recorder run ids). */
  trace?: RunStateTrace | undefined;
}

/** Where a paused run was traced and recorded. */
export interface RunStateTrace {
  /** The W3C `traceparent` of the paused run's `invoke_agent` span. */
  traceparent?: string | undefined;
  /** The paused run's id (the recorder's). */
  runId?: string | undefined;
}

/**
 * A paused run (`finishReason: 'interrupted'`): the history, the steps, the calls waiting for
 * approval and the decisions taken. It holds no client, no API key and no functions, so it can
 * be stored and resumed in another process:
 *
 * @example
 * const result = await agent.run('Delete the temp files');
 * if (result.finishReason === 'interrupted') {
 *   await writeFile('state.json', JSON.stringify(result.state));
 *   // ...later, maybe elsewhere:
 *   const state = RunState.fromJSON(await readFile('state.json', 'utf8'));
 *   for (const call of state.interruptions) state.approve(call.id); // or state.reject(call.id, { reason })
 *   const resumed = await agent.run(state);
 * }
 *
 * Resume with the same agent configuration (same tools). Calls of the interrupted turn that
 * needed no approval were already executed before the pause; their results are kept. Resuming
 * with a call still undecided ends the run again with `'interrupted'`, without any request.
 */
export class RunState {
  readonly #data: RunStateJSON;

  /** @internal Built by the loop, or by `RunState.fromJSON`. */
  constructor(data: RunStateJSON) {
    this.#data = data;
  }

  /** The calls waiting for a decision (decided ones included until the run resumes). */
  get interruptions(): PendingApproval[] {
    const step = this.#data.steps[this.#data.steps.length - 1];
    const pending: PendingApproval[] = [];
    for (const call of step?.toolCalls ?? []) {
      if (call.status === 'pending') pending.push({ id: call.id, name: call.name, args: call.args });
    }
    return pending;
  }

  /** Lets the pending call `callId` run when the run resumes. */
  approve(callId: string): this {
    this.#pendingCall(callId);
    this.#data.decisions[callId] = { approved: true };
    return this;
  }

  /**
   * Refuses the pending call `callId`: it does not run, and the model receives the reason as the
   * tool result (so it can adapt).
   */
  reject(callId: string, options?: { reason?: string | undefined }): this {
    this.#pendingCall(callId);
    this.#data.decisions[callId] = { approved: false, reason: options?.reason };
    return this;
  }

  /** The decision taken for `callId`, if any. */
  decision(callId: string): ApprovalDecision | undefined {
    return this.#data.decisions[callId];
  }

  /** Plain JSON data (`JSON.stringify(state)` calls this). */
  toJSON(): RunStateJSON {
    return { ...this.#data, steps: this.#data.steps.map(jsonSafeStep) };
  }

  /** The state as a JSON string. */
  toString(): string {
    return JSON.stringify(this);
  }

  /** @internal The live data, for the loop. */
  get data(): RunStateJSON {
    return this.#data;
  }

  /**
   * Rebuilds a state from `JSON.stringify(state)` (a string) or its parsed object.
   * @throws RunStateError naming the field that is missing or malformed.
   */
  static fromJSON(json: string | RunStateJSON): RunState {
    let data: unknown = json;
    if (typeof json === 'string') {
      try {
        data = JSON.parse(json);
      } catch (error) {
        throw new RunStateError(
          `RunState.fromJSON: the text is not valid JSON (${(error as Error).message}).`,
        );
      }
    }
    return new RunState(checkData(data));
  }

  #pendingCall(callId: string): void {
    if (!this.interruptions.some((call) => call.id === callId)) {
      const ids = this.interruptions.map((call) => call.id).join(', ') || 'none';
      throw new RunStateError(
        `No pending tool call has id ${JSON.stringify(callId)}. Pending calls: ${ids}.`,
      );
    }
  }
}

function checkData(data: unknown): RunStateJSON {
  const fail = (field: string, expected: string): never => {
    throw new RunStateError(
      `RunState.fromJSON: \`${field}\` must be ${expected}. Pass the text of JSON.stringify(result.state), unmodified.`,
    );
  };
  if (typeof data !== 'object' || data === null) return fail('(root)', 'an object');
  const value = data as Partial<RunStateJSON>;
  if (value.version !== 1) return fail('version', '1 (a state written by this version of @plumb/agent)');
  if (!Array.isArray(value.messages)) return fail('messages', 'an array of chat messages');
  if (!Array.isArray(value.steps) || value.steps.length === 0)
    return fail('steps', 'a non-empty array of steps');
  const last = value.steps[value.steps.length - 1] as AgentStep | undefined;
  if (!Array.isArray(last?.toolCalls)) return fail(`steps[${value.steps.length - 1}].toolCalls`, 'an array');
  if (value.turn?.role !== 'assistant' || !Array.isArray(value.turn.tool_calls)) {
    return fail('turn', 'the assistant message with the pending tool calls');
  }
  if (typeof value.decisions !== 'object' || value.decisions === null) return fail('decisions', 'an object');
  if (typeof value.usage !== 'object' || value.usage === null) return fail('usage', 'a usage object');
  if (typeof value.consecutiveToolErrors !== 'number') return fail('consecutiveToolErrors', 'a number');
  if (typeof value.outputRetries !== 'number') return fail('outputRetries', 'a number');
  const pins: unknown = value.toolPins;
  if (
    pins !== undefined &&
    (typeof pins !== 'object' ||
      pins === null ||
      !Object.values(pins).every((pin) => typeof pin === 'string'))
  ) {
    return fail('toolPins', 'an object of tool-definition fingerprints (strings)');
  }
  return { ...(value as RunStateJSON), decisions: { ...value.decisions }, cost: value.cost ?? null };
}

function jsonSafeStep(step: AgentStep): AgentStep {
  return { ...step, toolCalls: step.toolCalls.map(jsonSafeCall) };
}

/** Tool results that JSON cannot carry are replaced by the text the model saw. */
function jsonSafeCall(call: ToolCallRecord): ToolCallRecord {
  if (call.result === undefined) return call;
  try {
    JSON.stringify(call.result);
    return call;
  } catch {
    return { ...call, result: call.content };
  }
}
