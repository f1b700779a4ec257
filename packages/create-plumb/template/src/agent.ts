// The agent. `plumb run src/agent.ts "..."`, `plumb chat src/agent.ts` and `plumb studio src/agent.ts`
// load this file. Without DEEPSEEK_API_KEY they run offline: the DeepSeek emulator answers with
// `turns` below.
import { Agent } from '@plumb/agent';
import type { DeepSeek } from '@plumb/core';
import type { Script } from '@plumb/testing';
import { notesPack } from './tools/notes-pack.js';

/** Builds the agent for a client (the real API, or an emulator in tests). */
export function createAgent({ client }: { client: DeepSeek }) {
  return new Agent({
    name: '__NAME__',
    client,
    instructions:
      'You keep short notes for the user. Save what they ask you to remember; search before answering.',
    tools: [notesPack()],
  });
}

/** What the emulator says offline: save a note, then confirm. */
export const turns: Script = (request) => {
  const last = (request.body.messages as Array<{ role: string; content: string }>).at(-1);
  if (last?.role === 'tool') return { content: `Saved: ${last.content}` };
  return { toolCalls: [{ name: 'notes_add', arguments: { text: last?.content ?? '' } }] };
};
