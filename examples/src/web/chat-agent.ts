/**
 * The agent the web examples serve, and its chat handler: the same handler runs in node:http
 * (node-server.ts), Hono (hono-app.ts) and a Next.js route handler (next-route.ts).
 */
import { Agent } from '@plumb/agent';
import { createChatHandler } from '@plumb/agent/web';
import { DeepSeek } from '@plumb/core';
import type { Script } from '@plumb/testing';
import { tool } from '@plumb/tools';
import { z } from 'zod';

const transfer = tool({
  name: 'transfer',
  description: 'Sends money to a person',
  parameters: z.object({ to: z.string(), amount: z.number() }),
  needsApproval: true, // the browser is asked first
  execute: ({ to, amount }) => `sent ${amount} to ${to}`,
});

/** A new agent for a client (`new DeepSeek()` reads DEEPSEEK_API_KEY and DEEPSEEK_BASE_URL). */
export function createAgent(client = new DeepSeek()) {
  return new Agent({ name: 'payments', client, tools: [transfer] });
}

// #region handler
/** POST /api/chat for useChat: streams the run; approvals come back signed, checked, resumed once. */
export function chatHandler(agent: Agent, secret: string) {
  return createChatHandler({
    agent,
    secret, // 32+ bytes, from your secret store: signs the paused run's state
    onEnd: ({ result }) => {
      if (result) console.log(`run ${result.runId}: ${result.finishReason}, cost ${result.cost?.total}`);
    },
  });
}
// #endregion

/** What the emulator answers offline: a transfer needing approval, then a confirmation. */
export const turns: Script = (request) => {
  const last = (request.body.messages as Array<{ role: string; content: string }>).at(-1);
  if (last?.role === 'tool') return { content: `Done: ${last.content}.` };
  return { toolCalls: [{ name: 'transfer', arguments: { to: 'Ada', amount: 5 } }] };
};
