// An agent module as `plumb run`, `plumb chat` and `plumb studio` load it: the agent builds its
// client from the environment, which the CLI points at the emulator when DEEPSEEK_API_KEY is unset.
import { Agent } from '@plumb/agent';
import type { Script } from '@plumb/testing';
import { tool } from '@plumb/tools';
import { z } from 'zod';

const weather = tool({
  name: 'get_weather',
  description: 'The weather in a city',
  parameters: z.object({ city: z.string() }),
  execute: ({ city }) => ({ city, celsius: 21 }),
});

const transfer = tool({
  name: 'transfer',
  description: 'Sends money',
  parameters: z.object({ amount: z.number() }),
  needsApproval: true,
  execute: ({ amount }) => `sent ${amount}`,
});

// #region module
export default new Agent({ name: 'shop', tools: [weather, transfer] });
// #endregion

/** What the emulator answers offline, by the last message. */
export const turns: Script = (request) => {
  const messages = request.body.messages as Array<{ role: string; content: string }>;
  const last = messages.at(-1);
  if (last?.role === 'tool') return { content: `Done: ${last.content}` };
  const text = last?.content ?? '';
  if (text.includes('pay')) return { toolCalls: [{ name: 'transfer', arguments: { amount: 5 } }] };
  if (text.includes('weather')) return { reasoning: 'Look it up.', toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] };
  if (text.includes('crawl')) return { content: 'tick '.repeat(400), fault: { chunkDelayMs: 25 } };
  if (text.includes('slow')) return { content: 'tick '.repeat(60), fault: { chunkDelayMs: 15 } };
  if (text.includes('hostile')) return { content: '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>' };
  return { content: `You said: ${text}` };
};
