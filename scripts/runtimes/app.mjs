// The tool loop every runtime runs (Node, Bun, Deno, Cloudflare Workers, and a bundled app):
// @plumb/core + @plumb/tools + @plumb/agent against the emulator, with a tool call whose arguments
// are not valid JSON (so jsonrepair must load) and, when asked, logging on (so pino must load).
import { Agent } from '@plumb/agent';
import { DeepSeek } from '@plumb/core';
import { tool } from '@plumb/tools';
import { z } from 'zod';

/** Runs the loop and returns a one-line summary; throws when anything is off. */
export async function runLoop({ baseURL, logLevel, runtime }) {
  const add = tool({
    name: 'add',
    description: 'Add two numbers',
    parameters: z.object({ a: z.number(), b: z.number() }),
    execute: ({ a, b }) => a + b,
  });
  const client = new DeepSeek({
    apiKey: 'sk-runtime',
    baseURL,
    maxRetries: 0,
    ...(logLevel ? { logLevel } : {}),
  });
  const result = await new Agent({ client, tools: [add] }).run(`What is 2 + 3? (${runtime})`);
  const call = result.steps[0]?.toolCalls[0];
  if (result.text !== 'The sum is 5.' || call?.result !== 5) {
    throw new Error(`unexpected result on ${runtime}: ${JSON.stringify({ text: result.text, call })}`);
  }
  return `${runtime}: tool loop ok (${result.steps.length} steps, repaired arguments -> ${call.result})`;
}
