import type { AgentEvent } from '@plumb/agent';
import type { Pool } from 'pg';
import { SCHEMA } from './schema.js';

/** The Postgres NOTIFY channel of live progress (deltas) and of new stored events. */
export const CHANNEL = 'plumb_durable';

/**
 * What `durable.events(runId)` yields: the agent's events (`step-start`, `tool-call`,
 * `tool-result`, `step-end`, `end`, ... and the live `text-delta` / `reasoning-delta` /
 * `tool-progress`), plus `run-failed`, each with the run's `segment` (0, then +1 after each
 * approval). `end` carries the finish reason and text, not the whole result (`durable.result()`).
 */
export type DurableEvent = Record<string, unknown> & { type: string; segment: number };

/** Events that only show progress: sent live to whoever listens, never stored, never replayed. */
const LIVE = new Set(['text-delta', 'reasoning-delta', 'tool-progress']);

/** Whether an event is a live delta (not stored). */
export function isLive(type: string): boolean {
  return LIVE.has(type);
}

/**
 * A key naming an event within its run: the same event emitted again when a workflow replays
 * after a crash has the same key, and is stored (and reported to `onEvent`) once.
 */
export function eventKey(segment: number, event: { type: string; stepIndex?: number; id?: string }): string {
  const step = event.stepIndex === undefined ? '' : `:${event.stepIndex}`;
  const id = event.id === undefined ? '' : `:${event.id}`;
  return `${segment}:${event.type}${step}${id}`;
}

/** The stored form of an event: JSON-safe, without the (large, class-typed) result of `end`. */
export function storedEvent(segment: number, event: AgentEvent<unknown>): DurableEvent {
  if (event.type === 'end') {
    const { finishReason, text, runId } = event.result;
    return { type: 'end', segment, finishReason, text, runId };
  }
  return JSON.parse(jsonText({ ...event, segment })) as DurableEvent;
}

/** JSON text that survives bigints and cycles-free class instances (their toJSON). */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? `${item}` : item));
}

/**
 * Stores an event once per key; returns whether it was new. Either way a NOTIFY wakes readers.
 * Live deltas are only NOTIFY'd (cut to Postgres' 8000-byte payload limit).
 */
export async function publish(pool: Pool, runId: string, event: DurableEvent, key: string): Promise<boolean> {
  if (isLive(event.type)) {
    const payload = jsonText({ runId, event });
    if (Buffer.byteLength(payload) < 7900) await pool.query('SELECT pg_notify($1, $2)', [CHANNEL, payload]);
    return true;
  }
  const { rowCount } = await pool.query(
    `WITH added AS (
       INSERT INTO ${SCHEMA}.events (run_id, key, event) VALUES ($1, $2, $3)
       ON CONFLICT (run_id, key) DO NOTHING RETURNING seq
     ) SELECT pg_notify($4, $5) FROM added`,
    [runId, key, jsonText(event), CHANNEL, jsonText({ runId })],
  );
  return (rowCount ?? 0) > 0;
}
