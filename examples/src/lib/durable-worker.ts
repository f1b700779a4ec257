/**
 * One durable worker process of the durable-workers example: the agents and tools every worker
 * defines, and `startWorker()`. Started twice by durable-workers.ts; any number of copies on any
 * number of machines can run against the same Postgres.
 */
import { Agent } from '@plumb/agent';
import { DeepSeek } from '@plumb/core';
import { Durable } from '@plumb/durable';
import { tool } from '@plumb/tools';
import { z } from 'zod';

// #region define
const lookupOrder = tool({
  name: 'lookup_order',
  description: 'Looks an order up in the shop database',
  parameters: z.object({ order: z.number() }),
  execute: async ({ order }, context) => {
    // context.idempotencyKey is the same in every process that runs this call again.
    console.log(`[${process.env.WORKER_ID}] lookup_order ${order} (key ${context.idempotencyKey})`);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // a slow backend
    return { order, total: 30, status: 'delivered, damaged' };
  },
});

const refund = tool({
  name: 'refund',
  description: 'Refunds an order',
  parameters: z.object({ order: z.number(), amount: z.number() }),
  needsApproval: true, // the run ends its workflow and waits, with its state in Postgres
  execute: async ({ order, amount }, context) => {
    // Give the key to the payment provider: a call run twice is then paid once.
    console.log(`[${process.env.WORKER_ID}] refund ${amount} for ${order} (key ${context.idempotencyKey})`);
    return `refunded $${amount} for order ${order}`;
  },
});

const durable = new Durable({
  databaseUrl: process.env.DATABASE_URL as string,
  agents: {
    // Built once per process; `fetch` takes an account-wide slot for every DeepSeek request.
    support: ({ fetch }) =>
      new Agent({
        client: new DeepSeek({ fetch }), // DEEPSEEK_API_KEY, DEEPSEEK_BASE_URL
        instructions: 'You are a support agent for an online shop.',
        tools: [lookupOrder, refund],
      }),
  },
  gate: { maxInFlight: 4 }, // DeepSeek requests in flight across all workers
  heartbeatMs: 500, // short, for the example: a dead worker's runs move within ~3 s
  workerTimeoutMs: 2500,
});

await durable.startWorker({ workerId: process.env.WORKER_ID });
// #endregion
console.log(`[${process.env.WORKER_ID}] ready`);
process.on('SIGTERM', () => {
  void durable.close().then(() => process.exit(0));
});
