import type { ApprovalDecision, PendingApproval } from '@plumb/agent';
import type { Pool } from 'pg';
import { SCHEMA } from './schema.js';

/** Where a durable run is. */
export type DurableRunStatus = 'queued' | 'running' | 'awaiting_approval' | 'completed' | 'failed';

/** A run as `durable.status()` and `durable.list()` report it. */
export interface DurableRunInfo {
  runId: string;
  agent: string;
  status: DurableRunStatus;
  /** 0 for the first part; +1 after each approval or rejection. */
  segment: number;
  /** The calls waiting for a decision (status `awaiting_approval`). */
  interruptions: PendingApproval[];
  /** When a waiting approval is rejected by itself (status `awaiting_approval`), if it expires. */
  expiresAt: Date | undefined;
  /** The worker executing the run now (status `running`). */
  worker: string | undefined;
  /** Why the run failed (status `failed`). */
  error: string | undefined;
  createdAt: Date;
  updatedAt: Date;
}

/** A row of `plumb_durable.runs`. */
export interface RunRow {
  run_id: string;
  agent: string;
  status: DurableRunStatus;
  segment: number;
  input: { input: unknown; expiresInMs?: number };
  state: string | null;
  /** The fingerprint of the agent's tool definitions when the run paused. */
  tools: string | null;
  interruptions: PendingApproval[] | null;
  decisions: Record<string, ApprovalDecision> | null;
  expires_at: Date | null;
  result: unknown;
  error: string | null;
  created_at: Date;
  updated_at: Date;
}

export async function getRun(pool: Pool, runId: string): Promise<RunRow | undefined> {
  const { rows } = await pool.query<RunRow>(`SELECT * FROM ${SCHEMA}.runs WHERE run_id = $1`, [runId]);
  return rows[0];
}

export function runInfo(row: RunRow): DurableRunInfo {
  return {
    runId: row.run_id,
    agent: row.agent,
    status: row.status,
    segment: row.segment,
    interruptions: row.status === 'awaiting_approval' ? (row.interruptions ?? []) : [],
    expiresAt: row.status === 'awaiting_approval' ? (row.expires_at ?? undefined) : undefined,
    worker: undefined,
    error: row.error ?? undefined,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Sets the outcome of a segment once: only the execution that still finds it running writes it. */
export async function recordOutcome(
  pool: Pool,
  runId: string,
  segment: number,
  outcome: {
    status: DurableRunStatus;
    result?: string | undefined;
    error?: string | undefined;
    state?: string | undefined;
    tools?: string | undefined;
    interruptions?: PendingApproval[] | undefined;
    expiresInMs?: number | undefined;
  },
): Promise<boolean> {
  const { rowCount } = await pool.query(
    `UPDATE ${SCHEMA}.runs SET status = $3, result = $4::jsonb, error = $5, state = $6, interruptions = $7::jsonb,
       decisions = NULL, tools = $9,
       expires_at = CASE WHEN $8::bigint IS NULL THEN NULL ELSE now() + $8::bigint * interval '1 millisecond' END,
       updated_at = now()
     WHERE run_id = $1 AND segment = $2 AND status IN ('queued', 'running')`,
    [
      runId,
      segment,
      outcome.status,
      outcome.result ?? null,
      outcome.error ?? null,
      outcome.state ?? null,
      outcome.interruptions === undefined ? null : JSON.stringify(outcome.interruptions),
      outcome.expiresInMs ?? null,
      outcome.tools ?? null,
    ],
  );
  return (rowCount ?? 0) > 0;
}
