// A stdio MCP server that does not exit when its stdin closes (many real servers behave so):
// only a signal stops it. Used to prove children never outlive their parent.
import { tool } from '@plumb/tools';
import { z } from 'zod';
import { createMcpServer } from '../index.js';

const ping = tool({ name: 'ping', description: 'Answers pong', parameters: z.object({}), execute: () => 'pong' });
await createMcpServer({ name: 'stubborn', tools: [ping] }).connectStdio();
setInterval(() => {}, 60_000);
