// A plumb MCP server over stdio, started by the tests as a child process (like Claude Desktop would).
import { tool } from '@plumb/tools';
import { z } from 'zod';
import { createMcpServer } from '../index.js';

const add = tool({
  name: 'add',
  description: 'Adds two numbers',
  parameters: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }) => ({ sum: a + b }),
});

await createMcpServer({ name: 'plumb-stdio', tools: [add] }).connectStdio();
