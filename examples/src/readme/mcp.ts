import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Agent } from '@plumb/agent';
import { DeepSeek } from '@plumb/core';
import { connectMcp, createMcpServer } from '@plumb/mcp';
import { tool, toolPack } from '@plumb/tools';
import { z } from 'zod';

// What the README block assumes: a folder, an MCP server over Streamable HTTP that wants a bearer
// token (a plumb one on loopback here), and a tool pack of your own.
const dir = mkdtempSync(join(tmpdir(), 'plumb-readme-mcp-'));
writeFileSync(join(dir, 'todo.md'), '- renew passport\n');
const searchDocs = tool({
  name: 'search_docs',
  description: 'Search the product docs',
  parameters: z.object({ query: z.string() }),
  execute: async ({ query }) => `No page mentions ${query}.`,
});
const docs = await createMcpServer({ name: 'docs', tools: [searchDocs] }).listen({
  authorize: (request) => request.headers.authorization === 'Bearer docs-token',
});
const headers = { authorization: 'Bearer docs-token' };
const today = tool({
  name: 'today',
  description: "Today's date",
  parameters: z.object({}),
  execute: async () => '2026-12-02',
});
const myPack = toolPack({ name: 'calendar', description: 'Dates', prefix: true, tools: [today] });
// The filesystem server installed with the examples, run by this Node (`npx -y` may download it).
const manifest = createRequire(import.meta.url).resolve(
  '@modelcontextprotocol/server-filesystem/package.json',
);
const filesystemServer = join(dirname(manifest), 'dist/index.js');

// #region connect
// stdio: a child process (`command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', dir]` works too)
const fsServer = await connectMcp({
  name: 'fs',
  command: process.execPath,
  args: [filesystemServer, dir],
  stderr: 'ignore',
});
// Streamable HTTP, with the headers the server wants
const remote = await connectMcp({ name: 'docs', url: docs.url, headers });

const agent = new Agent({ client: new DeepSeek(), tools: [fsServer, remote, myPack] }); // a connection goes where a pack goes
console.log(agent.tools.map((item) => item.name).join(' '));
console.log((await agent.run('What is on my todo list, and do the docs cover it?')).text);
await fsServer.close(); // stops the child process
await remote.close();
// #endregion

await docs.close();
rmSync(dir, { recursive: true, force: true });
