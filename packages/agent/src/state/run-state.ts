import type { AssistantMessage, ChatMessage, Cost, Usage } from '@plumb/core';
import { RunStateError } from '../errors.js';
import type { AgentStep, PendingApproval, ToolCallRecord } from '../run/result.js';
import { checkStateData } from './state-schema.js';
import { isSignedEnvelope, type StateSecret, signState, verifyState } from './state-signing.js';

/** The program's answer to one pending call. */
export type ApprovalDecision = { approved: true } | { approved: false; reason: string | undefined };

/** The JSON form of a `RunState` (what `JSON.stringify(state)` writes). Plain data only. */
export interface RunStateJSON {
  /** Format version, for `RunState.fromJSON`. */
  version: 2;
  /** This pause's id: a state resumes once (see `RunState`). */
  id: string;
  /** The run's id, the same before and after the pause (tools get it as `context.runId`). */
  runId: string;
  /** The history before the interrupted turn (valid to send as is). */
  messages: ChatMessage[];
  /** Every step so far; the interrupted one last, with `pending` calls. */
  steps: AgentStep[];
  /** The assistant turn whose calls wait for approval (added to the history on resume). */
  turn: AssistantMessage;
  /**
   * Decisions taken so far, by call id. Written only by `toSignedJSON()`: unsigned JSON never
   * carries decisions, and `fromJSON` refuses a state that has them.
   */
  decisions?: Record<string, ApprovalDecision> | undefined;
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

/** What the loop passes to build a state: the id is made here. */
export type RunStateInit = Omit<RunStateJSON, 'id' | 'version'> & { version?: 2; id?: string | undefined };

/** Options of `toSignedJSON()` and `fromSignedJSON()`. */
export interface SignOptions {
  /**
   * The program's secret (at least 32 bytes; a string or a Uint8Array). Keep it out of the state's
   * store: whoever holds it can forge states. It never appears in errors or in the output.
   */
  secret: StateSecret;
}

/** Ids of the states this process has resumed (a bounded memory: the newest 100,000). */
const resumed = new Set<string>();
const REMEMBERED = 100_000;

/**
 * A paused run (`finishReason: 'interrupted'`): the history, the steps, the calls waiting for
 * approval and the decisions taken. It holds no client, no API key and no functions, so it can
 * be stored and resumed in another process. It does hold the history and every tool result so
 * far (file contents, API answers): store it as you would the conversation itself.
 *
 * @example
 * const result = await agent.run('Delete the temp files');
 * if (result.finishReason === 'interrupted') {
 *   await writeFile('state.json', await result.state.toSignedJSON({ secret }));
 *   // ...later, maybe elsewhere:
 *   const state = await RunState.fromSignedJSON(await readFile('state.json', 'utf8'), { secret });
 *   for (const call of state.interruptions) state.approve(call.id); // or state.reject(call.id, { reason })
 *   const resumed = await agent.run(state);
 * }
 *
 * - What runs is what `interruptions` shows: an approved call runs with its `rawArguments`, and a
 *   resume whose re-parsed arguments differ from the `args` shown fails with a RunStateError
 *   before anything runs.
 * - A state resumes once: a second `agent.run(state)` (or a state with the same `id`, loaded
 *   again in this process) is a RunStateError. Across processes, claim `state.id` in your store
 *   before resuming, and give side-effecting tools `context.idempotencyKey`.
 * - Decisions come only from `approve()` / `reject()`, or from a state you signed.
 *
 * Resume with the same agent configuration (same tools). Calls of the interrupted turn that
 * needed no approval were already executed before the pause; their results are kept. Resuming
 * with a call still undecided ends the run again with `'interrupted'` (and a new state), without
 * any request.
 */
export class RunState {
  readonly #data: RunStateJSON;
  #spent = false;

  /** @internal Built by the loop, or by `RunState.fromJSON`. */
  constructor(init: RunStateInit) {
    // A copy of what can run: the program mutating `result.steps` later does not change it.
    const steps = init.steps.slice();
    const last = steps[steps.length - 1];
    if (last !== undefined)
      steps[steps.length - 1] = { ...last, toolCalls: last.toolCalls.map((call) => ({ ...call })) };
    const turn = { ...init.turn };
    if (init.turn.tool_calls !== undefined) {
      turn.tool_calls = init.turn.tool_calls.map((call) => ({ ...call, function: { ...call.function } }));
    }
    this.#data = {
      ...init,
      version: 2,
      id: init.id ?? newId('state'),
      steps,
      turn,
      decisions: { ...init.decisions },
    };
  }

  /** This pause's id. Claim it in your store before resuming to make resumption once-only across processes. */
  get id(): string {
    return this.#data.id;
  }

  /** The run's id (tools see it as `context.runId`; it stays the same after the resume). */
  get runId(): string {
    return this.#data.runId;
  }

  /** Whether this state was already resumed (it cannot be resumed again). */
  get resumed(): boolean {
    return this.#spent || resumed.has(this.#data.id);
  }

  /**
   * The calls waiting for a decision (decided ones included until the run resumes): `args` as
   * validated, and `rawArguments`, the exact JSON that will be parsed again and run.
   */
  get interruptions(): PendingApproval[] {
    const step = this.#data.steps[this.#data.steps.length - 1];
    const pending: PendingApproval[] = [];
    for (const call of step?.toolCalls ?? []) {
      if (call.status === 'pending') {
        pending.push({ id: call.id, name: call.name, args: call.args, rawArguments: call.rawArguments });
      }
    }
    return pending;
  }

  /** Lets the pending call `callId` run when the run resumes. */
  approve(callId: string): this {
    this.#pendingCall(callId);
    this.#decisions()[callId] = { approved: true };
    return this;
  }

  /**
   * Refuses the pending call `callId`: it does not run, and the model receives the reason as the
   * tool result (so it can adapt).
   */
  reject(callId: string, options?: { reason?: string | undefined }): this {
    this.#pendingCall(callId);
    const reason = options?.reason;
    if (reason !== undefined && typeof reason !== 'string') {
      throw new RunStateError('reject(): `reason` must be a string (the model reads it).');
    }
    this.#decisions()[callId] = { approved: false, reason };
    return this;
  }

  /** The decision taken for `callId`, if any. */
  decision(callId: string): ApprovalDecision | undefined {
    return this.#decisions()[callId];
  }

  /**
   * Plain JSON data (`JSON.stringify(state)` calls this), without decisions: decide after
   * loading it, or use `toSignedJSON()` to carry decisions and detect any change.
   */
  toJSON(): RunStateJSON {
    const { decisions: _decisions, ...data } = this.#data;
    return { ...data, steps: data.steps.map(jsonSafeStep) };
  }

  /** The state as a JSON string (`JSON.stringify(state)`). */
  toString(): string {
    return JSON.stringify(this);
  }

  /**
   * The state as signed JSON text: the state with its decisions, and an HMAC-SHA-256 of it made
   * with `secret` (Web Crypto). `RunState.fromSignedJSON` with the same secret refuses any text
   * that was changed, so a stored state cannot be edited to run something nobody approved.
   * Integrity only: the content stays readable to whoever can read the store.
   */
  async toSignedJSON(options: SignOptions): Promise<string> {
    const data = { ...this.toJSON(), decisions: { ...this.#decisions() } };
    return signState(JSON.stringify(data), options?.secret);
  }

  /** @internal The live data, for the loop. */
  get data(): RunStateJSON {
    return this.#data;
  }

  /**
   * @internal Marks the state as resumed; throws if it already was (here, or a state with the
   * same id loaded again in this process). Called synchronously when a run starts from it.
   */
  claim(): void {
    const id = this.#data.id;
    if (this.#spent || resumed.has(id)) {
      throw new RunStateError(
        `This RunState (id ${id}) was already resumed; a state resumes once, so that approved calls run once. ` +
          'Continue from the result of that resume (result.state when it paused again).',
      );
    }
    this.#spent = true;
    resumed.add(id);
    if (resumed.size > REMEMBERED) {
      const oldest = resumed.values().next().value;
      if (oldest !== undefined) resumed.delete(oldest);
    }
  }

  /**
   * Rebuilds a state from `JSON.stringify(state)` (a string) or its parsed object. Unsigned JSON
   * carries no decisions: approve or reject after loading.
   * @throws RunStateError naming the path of the field that is missing or malformed.
   */
  static fromJSON(json: string | RunStateJSON): RunState {
    const where = 'RunState.fromJSON';
    let data: unknown = json;
    if (typeof json === 'string') {
      try {
        data = JSON.parse(json);
      } catch (error) {
        throw new RunStateError(`${where}: the text is not valid JSON (${(error as Error).message}).`);
      }
    }
    if (isSignedEnvelope(data)) {
      throw new RunStateError(
        `${where}: this state is signed; load it with RunState.fromSignedJSON(text, { secret }).`,
      );
    }
    return new RunState(checkStateData(data, where, false));
  }

  /**
   * Rebuilds a state from `toSignedJSON()` text after checking its signature with `secret`;
   * decisions taken before signing are kept.
   * @throws RunStateError when the signature does not match (the text was changed or signed with
   * another secret) or a field is malformed.
   */
  static async fromSignedJSON(text: string, options: SignOptions): Promise<RunState> {
    if (typeof text !== 'string') {
      throw new RunStateError('RunState.fromSignedJSON: expected the text written by state.toSignedJSON().');
    }
    const payload = await verifyState(text, options?.secret);
    return new RunState(checkStateData(JSON.parse(payload), 'RunState.fromSignedJSON', true));
  }

  #decisions(): Record<string, ApprovalDecision> {
    this.#data.decisions ??= {};
    return this.#data.decisions;
  }

  #pendingCall(callId: string): void {
    if (this.resumed) {
      throw new RunStateError(
        'This RunState was already resumed: decide on the state the resumed run returned.',
      );
    }
    if (!this.interruptions.some((call) => call.id === callId)) {
      const ids = this.interruptions.map((call) => call.id).join(', ') || 'none';
      throw new RunStateError(
        `No pending tool call has id ${JSON.stringify(callId)}. Pending calls: ${ids}.`,
      );
    }
  }
}

/** A random id such as `run_4f0c...` (Web Crypto, so it works off Node too). */
export function newId(prefix: string): string {
  return `${prefix}_${globalThis.crypto.randomUUID().replaceAll('-', '')}`;
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
