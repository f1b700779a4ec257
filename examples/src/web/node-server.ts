/**
 * The chat handler in Node's own HTTP server. Offline (no DEEPSEEK_API_KEY) it answers from the
 * emulator:   pnpm exec tsx --conditions=@plumb/source examples/src/web/node-server.ts
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeListener } from '@plumb/agent/web';
import { connect } from '../lib/connect.js';
import { chatHandler, createAgent, turns } from './chat-agent.js';

// #region node
export async function startNodeServer(handler: (request: Request) => Promise<Response>, port = 3000) {
  const server = createServer(toNodeListener(handler)); // a client that leaves aborts its run
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}
// #endregion

export function urlOf(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { client } = await connect({ script: turns });
  const secret = process.env.PLUMB_STATE_SECRET ?? crypto.randomUUID() + crypto.randomUUID();
  const server = await startNodeServer(chatHandler(createAgent(client), secret), 0);
  console.log(`POST ${urlOf(server)}/api/chat (Ctrl-C stops)`);
}
