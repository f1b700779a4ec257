/**
 * Turns of the `session-chat` example, in a process of its own: opens the SQLite session store,
 * runs each user message on the stored conversation, prints the answers, exits.
 * Env: SESSIONS_DB (the file), QUESTIONS (a JSON array); DEEPSEEK_API_KEY / DEEPSEEK_BASE_URL.
 */
import { Agent } from '@plumb/agent';
import { DeepSeek } from '@plumb/core';
import { sqliteSessionStore } from '@plumb/sessions';
import { tool } from '@plumb/tools';
import { z } from 'zod';

const multiply = tool({
  name: 'multiply',
  description: 'Multiplies two numbers exactly.',
  parameters: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }) => a * b,
});

// #region session-turn
const store = await sqliteSessionStore({ path: process.env.SESSIONS_DB }); // one file, no server
const agent = new Agent({
  client: new DeepSeek(),
  instructions: 'You are a friendly assistant. Keep answers short.',
  tools: [multiply],
});
for (const question of JSON.parse(process.env.QUESTIONS ?? '[]') as string[]) {
  console.log(`user> ${question}`);
  // Loads the conversation, runs the new message on it, saves the new turns (compare-and-set).
  const result = await agent.run(question, {
    session: { store, id: 'chat-ada', userId: 'ada' }, // userId is sent as DeepSeek's user_id
  });
  console.log(`assistant> ${result.text}`);
  const usage = result.steps[0]?.usage;
  console.log(`cache: ${usage?.prompt_cache_hit_tokens ?? 0} of ${usage?.prompt_tokens ?? 0} prompt tokens`);
}
await store.close?.();
// #endregion
