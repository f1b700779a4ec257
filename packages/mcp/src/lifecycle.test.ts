import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { connectMcp } from './index.js';
import { alive, EVERYTHING, onCleanup, waitFor } from './test-helpers.js';

// Stdio children never outlive the connection (or this process), and a server that dies
// mid-call is a clear tool error.

describe('stdio server lifecycle', () => {
  it('close() stops the child process', async () => {
    const connection = await connectMcp({
      name: 'everything',
      command: process.execPath,
      args: [EVERYTHING],
      stderr: 'ignore',
    });
    const pid = connection.pid;
    expect(pid).toBeTypeOf('number');
    expect(alive(pid as number)).toBe(true);
    await connection.close();
    await waitFor(() => !alive(pid as number));
    await connection.close(); // twice is fine
  });

  it('a child is killed when the parent process exits without closing the connection', async () => {
    const fixture = fileURLToPath(new URL('./__fixtures__/parent-exits.ts', import.meta.url));
    // The child ignores the end of its stdin: only the parent's exit hook stops it.
    const stubborn = fileURLToPath(new URL('./__fixtures__/stubborn-server.ts', import.meta.url));
    const tsx = ['--import', 'tsx', '--conditions=@plumb/source'];
    const parent = spawn(process.execPath, [...tsx, fixture, ...tsx, stubborn], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    parent.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => parent.once('exit', resolve));
    expect(code).toBe(0);
    const pid = Number(output.trim());
    expect(pid).toBeGreaterThan(0);
    await waitFor(() => !alive(pid));
  }, 60_000); // two processes start through tsx: slow on a busy machine, bounded all the same

  it('a server killed mid-call answers the call with a clear error; later calls say it is gone', async () => {
    const connection = await connectMcp({
      name: 'everything',
      command: process.execPath,
      args: [EVERYTHING],
      stderr: 'ignore',
    });
    onCleanup(() => connection.close());
    const long = connection.tools.find((tool) => tool.name === 'everything_trigger-long-running-operation');
    const pid = connection.pid as number;
    let killed = false;
    const outcome = await long!.run(
      { duration: 10, steps: 100 },
      {
        callId: 'call_00_kill',
        onProgress: () => {
          if (killed) return;
          killed = true;
          process.kill(pid, 'SIGKILL');
        },
      },
    );
    expect(outcome.ok).toBe(false);
    expect(outcome.content).toMatch(
      /MCP server "everything" went away during the call \(its process exited\); whether the call took effect is unknown/,
    );
    const echo = connection.tools.find((tool) => tool.name === 'everything_echo');
    const after = await echo!.run({ message: 'anyone?' }, { callId: 'call_01_after' });
    expect(after.content).toMatch(/MCP server "everything" is not connected any more \(its process exited\)/);
  });

  it('a command that cannot start is a McpConnectionError naming it', async () => {
    await expect(
      connectMcp({
        name: 'missing',
        command: '/nonexistent/mcp-server',
        stderr: 'ignore',
        connectTimeoutMs: 5_000,
      }),
    ).rejects.toThrow(/MCP server "missing": could not start "\/nonexistent\/mcp-server"/);
  });
});
