/**
 * The shape of a Next.js App Router route handler (app/api/chat/route.ts): export POST. The agent
 * is built per request from the environment (DEEPSEEK_API_KEY, PLUMB_STATE_SECRET).
 */
import { createChatHandler } from '@plumb/agent/web';
import { createAgent } from './chat-agent.js';

// #region next
const handler = createChatHandler({
  agent: () => createAgent(), // new DeepSeek() reads DEEPSEEK_API_KEY at request time
  secret: process.env.PLUMB_STATE_SECRET ?? '',
});

export async function POST(request: Request): Promise<Response> {
  return handler(request);
}
// #endregion
