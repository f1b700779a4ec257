/**
 * MCP: a real Model Context Protocol server's tools in an agent. The official filesystem server
 * (@modelcontextprotocol/server-filesystem, installed with the examples) runs as a child process on
 * a temporary folder; its tools become DeepSeek-safe tools named fs_*.
 *   pnpm example mcp
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Agent } from '@plumb/agent';
import { connectMcp } from '@plumb/mcp';
import { connect } from './lib/connect.js';
import { run } from './lib/run.js';

/** The installed server's entry point, run with this Node (no download at run time). */
function filesystemServer(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('@modelcontextprotocol/server-filesystem/package.json');
  return join(dirname(manifest), 'dist/index.js');
}

run(async () => {
  const folder = mkdtempSync(join(tmpdir(), 'plumb-mcp-example-'));
  writeFileSync(join(folder, 'todo.md'), '- renew passport\n- book the dentist\n- water the plants\n');
  writeFileSync(join(folder, 'shopping.md'), '- oat milk\n- coffee\n');
  try {
    const { client } = await connect({
      script: [
        {
          reasoning: 'I will list the folder and read the todo file at the same time.',
          toolCalls: [
            { name: 'fs_list_directory', arguments: { path: folder } },
            { name: 'fs_read_text_file', arguments: { path: join(folder, 'todo.md') } },
          ],
        },
        {
          reasoning: 'Two files; the todo list has three items.',
          content:
            'The folder has shopping.md and todo.md. Your todo list: renew passport, book the dentist, water the plants.',
        },
      ],
    });

    // #region connect
    const fsServer = await connectMcp({
      name: 'fs', // prefixes the tools: fs_read_text_file, fs_list_directory, ...
      command: process.execPath, // node; `npx` with ['-y', '@modelcontextprotocol/server-filesystem', folder] works too
      args: [filesystemServer(), folder],
      include: ['list_directory', 'read_text_file', 'search_files'], // only what the agent needs
      stderr: 'ignore', // the server prints a banner on stderr
    });
    // #endregion
    try {
      // #region agent
      const agent = new Agent({
        client,
        instructions: `You help with the files in ${folder}. Use the fs tools; several at once when you can.`,
        tools: [fsServer], // a connection goes where a tool pack goes
      });
      console.log(`tools: ${agent.tools.map((tool) => tool.name).join(', ')}`);

      const stream = agent.stream('What files do I have, and what is on my todo list?');
      for await (const event of stream) {
        if (event.type === 'tool-call') console.log(`→ ${event.name} ${event.rawArguments}`);
        if (event.type === 'tool-result') console.log(`← ${event.name}: ${event.content.split('\n')[0]}`);
      }
      const result = await stream.result;
      console.log(result.text);
      // #endregion
    } finally {
      // #region close
      await fsServer.close(); // stops the server process
      // #endregion
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
