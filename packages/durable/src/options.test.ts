import { describe, expect, it } from 'vitest';
import { retryAfterMs } from './account-gate.js';
import { eventKey, isLive } from './events.js';
import { Durable, DurableConfigError } from './index.js';

// Pure checks: no database is reached (pg pools connect lazily and are closed unused).
const url = 'postgres://plumb@127.0.0.1:1/none';

describe('options', () => {
  it.each([
    [{ databaseUrl: 'mysql://x' }, 'databaseUrl'],
    [{ databaseUrl: url, heartbeatMs: 0 }, 'heartbeatMs'],
    [{ databaseUrl: url, workerTimeoutMs: 1.5 }, 'workerTimeoutMs'],
    [{ databaseUrl: url, gate: { maxInFlight: 0 } }, 'gate.maxInFlight'],
    [{ databaseUrl: url, stateSecret: 'short' }, 'stateSecret'],
  ])('%j is a DurableConfigError naming %s', (options, field) => {
    let error: unknown;
    try {
      new Durable(options as never);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DurableConfigError);
    expect((error as DurableConfigError).field).toBe(field);
  });

  it('start() checks its arguments before touching the database', async () => {
    const durable = new Durable({ databaseUrl: url, agents: {} });
    try {
      await expect(durable.start('nobody', 'hi')).rejects.toThrow(/no agent is named "nobody"/);
      const open = new Durable({ databaseUrl: url });
      await expect(open.start('a', 'hi', { runId: '../x' })).rejects.toThrow(DurableConfigError);
      await expect(open.start('a', 'hi', { approvalExpiresInMs: -1 })).rejects.toThrow(/approvalExpiresInMs/);
      await expect(open.start('a', 42 as never)).rejects.toThrow(/input/);
      await open.close();
    } finally {
      await durable.close();
    }
  });
});

describe('retryAfterMs', () => {
  it('reads retry-after-ms, then retry-after in seconds or as a date, capped at 10 minutes', () => {
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '1500' }))).toBe(1500);
    expect(retryAfterMs(new Headers({ 'retry-after': '3' }))).toBe(3000);
    expect(retryAfterMs(new Headers({ 'retry-after': '99999' }))).toBe(600_000);
    const date = new Date(Date.now() + 60_000).toUTCString();
    const fromDate = retryAfterMs(new Headers({ 'retry-after': date })) ?? 0;
    expect(fromDate).toBeGreaterThan(50_000);
    expect(fromDate).toBeLessThanOrEqual(60_000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterMs(new Headers())).toBeUndefined();
  });
});

describe('event keys', () => {
  it('name an event by segment, type, step and call, so a replayed event has the same key', () => {
    expect(eventKey(0, { type: 'tool-result', stepIndex: 2, id: 'call_a' })).toBe('0:tool-result:2:call_a');
    expect(eventKey(1, { type: 'end' })).toBe('1:end');
    expect(isLive('text-delta')).toBe(true);
    expect(isLive('tool-result')).toBe(false);
  });
});
