import type { Pool, PoolClient } from 'pg';
import { SCHEMA } from './schema.js';

/** Options of the account-wide gate on DeepSeek requests. */
export interface AccountGateOptions {
  /**
   * The most DeepSeek requests in flight at once across every worker sharing the database (from
   * send until the response body ends). Set it at or below your account's concurrency limit.
   */
  maxInFlight: number;
  /** Names the account (several API keys may share one database). @default 'default' */
  account?: string | undefined;
  /** How long a 429 without a `retry-after` holds every worker, in ms. @default 2000 */
  defaultBackoffMs?: number | undefined;
  /** How often a waiting request looks for a free slot, in ms. @default 25 */
  pollMs?: number | undefined;
}

/**
 * A concurrency cap on DeepSeek requests shared by every process of the fleet, and a shared
 * back-off: a 429 seen by one worker stores a deadline that every worker waits for before it
 * sends anything. Slots are Postgres session advisory locks, so a worker that dies gives its
 * slots back when its connections close; the deadline is compared with the database's clock,
 * so the machines' clocks need not agree.
 */
export class AccountGate {
  readonly #pool: Pool;
  readonly #max: number;
  readonly #account: string;
  readonly #lockSpace: number;
  readonly #defaultBackoffMs: number;
  readonly #pollMs: number;

  constructor(pool: Pool, options: AccountGateOptions) {
    this.#pool = pool;
    this.#max = options.maxInFlight;
    this.#account = options.account ?? 'default';
    this.#lockSpace = hash(`plumb-durable-gate:${this.#account}`);
    this.#defaultBackoffMs = options.defaultBackoffMs ?? 2000;
    this.#pollMs = options.pollMs ?? 25;
  }

  /** Milliseconds left until the shared back-off deadline (0 when none is set or it passed). */
  async backoffLeft(client?: PoolClient): Promise<number> {
    const { rows } = await (client ?? this.#pool).query<{ wait: number }>(
      `SELECT GREATEST(0, CEIL(EXTRACT(EPOCH FROM (until - clock_timestamp())) * 1000))::int AS wait FROM ${SCHEMA}.backoff WHERE account = $1`,
      [this.#account],
    );
    return rows[0]?.wait ?? 0;
  }

  /** Moves the shared deadline to `ms` from now (never earlier than it is). */
  async backoff(ms: number): Promise<void> {
    await this.#pool.query(
      `INSERT INTO ${SCHEMA}.backoff (account, until) VALUES ($1, clock_timestamp() + $2 * interval '1 millisecond')
       ON CONFLICT (account) DO UPDATE SET until = GREATEST(${SCHEMA}.backoff.until, EXCLUDED.until),
         set_at = clock_timestamp()`,
      [this.#account, ms],
    );
  }

  /**
   * Waits for the shared back-off to pass and for a free slot; resolves with the function that
   * gives the slot back (safe to call twice). Rejects with the signal's reason on abort.
   */
  async acquire(signal?: AbortSignal | null): Promise<() => Promise<void>> {
    for (;;) {
      signal?.throwIfAborted();
      const wait = await this.backoffLeft();
      if (wait > 0) {
        await sleep(Math.min(wait, 1000), signal);
        continue;
      }
      const client = await this.#pool.connect();
      let held: number | undefined;
      try {
        const start = Math.floor(Math.random() * this.#max);
        for (let i = 0; i < this.#max && held === undefined; i++) {
          const slot = (start + i) % this.#max;
          const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [
            this.#lockSpace,
            slot,
          ]);
          if (rows[0]?.ok) held = slot;
        }
        // A 429 may have arrived while the slot was taken: hold nothing during a back-off.
        if (held !== undefined && (await this.backoffLeft(client)) > 0) {
          await client.query('SELECT pg_advisory_unlock($1, $2)', [this.#lockSpace, held]);
          held = undefined;
        }
      } catch (error) {
        client.release(true);
        throw error;
      }
      if (held !== undefined) {
        const slot = held;
        let released = false;
        return async () => {
          if (released) return;
          released = true;
          try {
            await client.query('SELECT pg_advisory_unlock($1, $2)', [this.#lockSpace, slot]);
            client.release();
          } catch (error) {
            // Closing the connection frees its advisory locks anyway.
            client.release(error instanceof Error ? error : true);
          }
        };
      }
      client.release();
      await sleep(this.#pollMs * (0.5 + Math.random()), signal);
    }
  }

  /**
   * A `fetch` for `new DeepSeek({ fetch })`: every HTTP attempt (core's retries included) takes
   * a slot for as long as its response body is read, and a 429 answer sets the shared back-off
   * from its `retry-after-ms` / `retry-after` header.
   */
  fetch(inner: typeof fetch = globalThis.fetch): typeof fetch {
    return async (input, init) => {
      const release = await this.acquire(init?.signal);
      let response: Response;
      try {
        response = await inner(input, init);
      } catch (error) {
        await release();
        throw error;
      }
      if (response.status === 429)
        await this.backoff(retryAfterMs(response.headers) ?? this.#defaultBackoffMs);
      const body = response.body;
      if (body === null) {
        await release();
        return response;
      }
      const reader = body.getReader();
      const wrapped = new ReadableStream<Uint8Array>({
        async pull(controller) {
          try {
            const { done, value } = await reader.read();
            if (done) {
              controller.close();
              await release();
            } else controller.enqueue(value);
          } catch (error) {
            controller.error(error);
            await release();
          }
        },
        async cancel(reason) {
          await release();
          await reader.cancel(reason).catch(() => {});
        },
      });
      return new Response(wrapped, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    };
  }
}

/** The wait a 429 asks for, from `retry-after-ms` or `retry-after` (seconds or an HTTP date). */
export function retryAfterMs(headers: Headers): number | undefined {
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.has('retry-after-ms') && Number.isFinite(ms) && ms >= 0) return Math.min(ms, 600_000);
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 600_000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.min(Math.max(0, date - Date.now()), 600_000);
}

function sleep(ms: number, signal?: AbortSignal | null): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', aborted);
      resolve();
    }
    function aborted() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener('abort', aborted, { once: true });
  });
}

/** A 31-bit key for advisory locks. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h & 0x7fffffff;
}
