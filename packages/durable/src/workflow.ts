import { createHash } from 'node:crypto';
import {
  type Agent,
  type AgentResult,
  type ModelTurn,
  type RunInput,
  RunState,
  type StepMiddleware,
} from '@plumb/agent';
import { costOf } from '@plumb/core';
import type { Pool } from 'pg';
import type { DurableEngine, RunWorkflowArgs } from './engine.js';
import { DurableError } from './errors.js';
import { type DurableEvent, eventKey, jsonText, publish, storedEvent } from './events.js';
import { SCHEMA } from './schema.js';
import { getRun, type RunRow, recordOutcome } from './store.js';

/** What the run workflow needs from its `Durable`. */
export interface WorkflowDeps {
  readonly pool: Pool;
  readonly engine: DurableEngine;
  // biome-ignore lint/suspicious/noExplicitAny: agents of any output schema run here
  agent(name: string): Agent<any>;
  readonly stateSecret: string | undefined;
  readonly onEvent: ((runId: string, event: DurableEvent) => void | Promise<void>) | undefined;
  /** Checked at the start of every step: false once another worker took the run over. */
  owns(workflowId: string): Promise<boolean>;
}

/** The workflow id of one segment of a run. */
export function workflowId(runId: string, segment: number): string {
  return `${runId}#${segment}`;
}

/**
 * One segment of a durable run, as an engine workflow: runs the agent with each model turn and
 * each tool call as a step, stores events once (keyed), and records the outcome once: the
 * result, a failure, or the paused `RunState` (the workflow then ends; an approval starts the
 * next segment).
 */
export function runWorkflow(deps: WorkflowDeps): (args: RunWorkflowArgs) => Promise<string> {
  return async ({ runId, segment }) => {
    const { pool, engine } = deps;
    const row = await getRun(pool, runId);
    if (row === undefined || row.segment !== segment) return 'stale';
    if (row.status !== 'queued' && row.status !== 'running') return row.status;
    await pool.query(
      `UPDATE ${SCHEMA}.runs SET status = 'running', updated_at = now() WHERE run_id = $1 AND segment = $2 AND status = 'queued'`,
      [runId, segment],
    );
    const id = workflowId(runId, segment);
    const emit = async (event: DurableEvent): Promise<void> => {
      const fresh = await publish(pool, runId, event, eventKey(segment, event as { type: string }));
      if (
        fresh &&
        deps.onEvent !== undefined &&
        event.type !== 'text-delta' &&
        event.type !== 'reasoning-delta'
      ) {
        try {
          await deps.onEvent(runId, event);
        } catch {
          // An observer's failure never fails the run.
        }
      }
    };
    let result: AgentResult<unknown>;
    try {
      const agent = deps.agent(row.agent);
      checkTools(row, agent);
      const input = await segmentInput(row, deps.stateSecret);
      const steps = durableSteps(deps, id, row, segment, agent.model);
      const options = input instanceof RunState ? { steps } : { steps, runId };
      const stream = agent.stream(input, options);
      for await (const event of stream) await emit(storedEvent(segment, event));
      result = await stream.result;
    } catch (error) {
      if (ownershipLost(engine, error)) throw engine.ownershipError(id);
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      if (await recordOutcome(pool, runId, segment, { status: 'failed', error: message })) {
        await emit({ type: 'run-failed', segment, error: message });
      }
      return 'failed';
    }
    if (result.finishReason === 'interrupted' && result.state !== undefined) {
      const state =
        deps.stateSecret === undefined
          ? JSON.stringify(result.state)
          : await result.state.toSignedJSON({ secret: deps.stateSecret });
      await recordOutcome(pool, runId, segment, {
        status: 'awaiting_approval',
        result: resultJSON(result),
        state,
        tools: toolsFingerprint(deps.agent(row.agent)),
        interruptions: result.interruptions,
        expiresInMs: row.input.expiresInMs,
      });
      return 'awaiting_approval';
    }
    await recordOutcome(pool, runId, segment, { status: 'completed', result: resultJSON(result) });
    return 'completed';
  };
}

/** A hash of the agent's tool definitions (names, descriptions, schemas), in order. */
function toolsFingerprint(agent: { readonly tools: readonly { definition: unknown }[] }): string {
  const definitions = JSON.stringify(agent.tools.map((tool) => tool.definition));
  return createHash('sha256').update(definitions).digest('hex').slice(0, 16);
}

/** Fails closed when a paused run resumes on a worker whose agent has other tools. */
function checkTools(row: RunRow, agent: { readonly tools: readonly { definition: unknown }[] }): void {
  if (row.segment === 0 || row.tools === null) return;
  const now = toolsFingerprint(agent);
  if (now !== row.tools) {
    throw new ToolsChangedError(
      `The tools of agent "${row.agent}" changed since run ${row.run_id} paused for approval (tool definitions fingerprint ${row.tools} then, ${now} on this worker), so the approved calls are not run against them. Deploy the same tools on every worker, or start a new run.`,
    );
  }
}

/** A paused run resumed on a worker whose agent's tools differ from the ones it paused with. */
export class ToolsChangedError extends DurableError {
  override name = 'ToolsChangedError';
}

/** The input of a segment: the run's input, or its paused state with the decisions taken. */
async function segmentInput(row: RunRow, secret: string | undefined): Promise<RunInput | RunState> {
  if (row.segment === 0) return row.input.input as RunInput;
  if (row.state === null) throw new DurableError(`Run ${row.run_id} has no saved state to resume from.`);
  const state =
    secret === undefined
      ? RunState.fromJSON(row.state)
      : await RunState.fromSignedJSON(row.state, { secret });
  const decisions = row.decisions ?? {};
  const all = decisions['*'];
  for (const pending of state.interruptions) {
    const decision = decisions[pending.id] ?? all;
    if (decision === undefined) continue;
    if (decision.approved) state.approve(pending.id);
    else state.reject(pending.id, { reason: decision.reason });
  }
  return state;
}

/** Model turns and tool calls as engine steps; usage is stored per turn (once, keyed). */
function durableSteps(
  deps: WorkflowDeps,
  id: string,
  row: RunRow,
  segment: number,
  model: string,
): StepMiddleware {
  const { engine, pool } = deps;
  const fenced = async (): Promise<void> => {
    if (!(await deps.owns(id))) throw new OwnershipLostError(id);
  };
  return {
    modelTurn: async (info, next) => {
      const turn = await engine.step<ModelTurn>(`turn:${info.stepIndex}`, async () => {
        await fenced();
        return next();
      });
      await recordUsage(pool, row, segment, info.stepIndex, model, turn);
      return turn;
    },
    toolCall: (info, next) =>
      engine.step(`tool:${info.callId}`, async () => {
        await fenced();
        return next();
      }),
    // The agent's own hooks fire at most once per run: claimed by key before the call (not as
    // engine steps, whose order must replay exactly, which concurrent tool hooks do not give).
    hook: async (info, call) => {
      const { rowCount } = await pool.query(
        `INSERT INTO ${SCHEMA}.hooks_fired (run_id, key) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
        [row.run_id, `${segment}:${info.key}`],
      );
      if ((rowCount ?? 0) > 0) await call();
    },
  };
}

async function recordUsage(
  pool: Pool,
  row: RunRow,
  segment: number,
  step: number,
  model: string,
  turn: ModelTurn,
): Promise<void> {
  const usage = turn.usage;
  if (usage === undefined) return;
  let cost: number | null = null;
  try {
    cost = costOf(usage, model, { at: new Date() }).total;
  } catch {
    // A model without a published price: tokens only.
  }
  await pool.query(
    `INSERT INTO ${SCHEMA}.usage (run_id, segment, step, agent, model, day, prompt_tokens, completion_tokens,
       cache_hit_tokens, cache_miss_tokens, cost, currency)
     VALUES ($1, $2, $3, $4, $5, (now() AT TIME ZONE 'UTC')::date, $6, $7, $8, $9, $10, 'USD')
     ON CONFLICT DO NOTHING`,
    [
      row.run_id,
      segment,
      step,
      row.agent,
      model,
      usage.prompt_tokens,
      usage.completion_tokens,
      usage.prompt_cache_hit_tokens ?? 0,
      usage.prompt_cache_miss_tokens ?? 0,
      cost,
    ],
  );
}

/** Thrown in a step of an execution whose run another worker adopted; it ends that execution quietly. */
export class OwnershipLostError extends DurableError {
  override name = 'OwnershipLostError';
  constructor(workflowId: string) {
    super(`Workflow ${workflowId} was adopted by another worker; this execution stops.`);
  }
}

/** The ownership error in an error's cause chain (the agent wraps step errors in AgentRunError). */
function ownershipLost(engine: DurableEngine, error: unknown): boolean {
  for (let current = error, depth = 0; current !== undefined && current !== null && depth < 8; depth++) {
    if (engine.isOwnershipLost(current) || current instanceof OwnershipLostError) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

function resultJSON(result: AgentResult<unknown>): string {
  const { state: _state, ...rest } = result;
  return jsonText(rest);
}
