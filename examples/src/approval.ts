/**
 * Human approval with resume from saved state: a tool marked `needsApproval` pauses the run
 * (finishReason 'interrupted'). The state is saved as JSON to a file, loaded back, the calls
 * are approved or rejected, and the run resumes where it stopped.
 *   pnpm example approval
 * In a terminal you are asked for each call; otherwise .tmp files are approved, others rejected.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { Agent, RunState } from '@plumb/agent';
import { tool } from '@plumb/tools';
import { z } from 'zod';
import { connect } from './lib/connect.js';
import { run } from './lib/run.js';
import { yellow } from './lib/terminal.js';

/** Asks the person at the terminal; without one, approves only .tmp files. */
async function decide(call: { name: string; args: unknown }): Promise<boolean> {
  const path = (call.args as { path?: string }).path ?? '';
  if (!process.stdin.isTTY) {
    console.log(`auto-decision (no terminal): ${path.endsWith('.tmp') ? 'approve' : 'reject'} ${path}`);
    return path.endsWith('.tmp');
  }
  const terminal = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await terminal.question(yellow(`allow ${call.name}(${JSON.stringify(call.args)})? [y/N] `));
  terminal.close();
  return answer.trim().toLowerCase().startsWith('y');
}

run(async () => {
  const folder = await mkdtemp(join(tmpdir(), 'plumb-approval-'));
  for (const name of ['build.tmp', 'notes.txt', 'cache.tmp']) await writeFile(join(folder, name), 'x');

  try {
    const { client } = await connect({
      script: [
        { toolCalls: [{ name: 'list_files', arguments: {} }] },
        {
          toolCalls: [
            { name: 'delete_file', arguments: { path: 'build.tmp' } },
            { name: 'delete_file', arguments: { path: 'cache.tmp' } },
          ],
        },
        { content: 'I deleted build.tmp and cache.tmp; notes.txt is kept.' },
      ],
    });

    // #region approval
    const listFiles = tool({
      name: 'list_files',
      description: 'Lists the files in the work folder.',
      parameters: z.object({}),
      execute: () => readdir(folder),
    });
    const deleteFile = tool({
      name: 'delete_file',
      description: 'Deletes a file from the work folder.',
      parameters: z.object({ path: z.string() }),
      needsApproval: true, // or a function of the arguments: ({ path }) => !path.endsWith('.log')
      execute: async ({ path }) => {
        if (basename(path) !== path) throw new Error('Give a file name from list_files, not a path.');
        await rm(join(folder, path));
        return `deleted ${path}`;
      },
    });
    const agent = new Agent({
      client,
      instructions: 'You tidy the work folder: delete the temporary (.tmp) files.',
      tools: [listFiles, deleteFile],
    });

    let result = await agent.run('Clean up the work folder.');
    const stateFile = join(folder, 'state.json');
    while (result.finishReason === 'interrupted' && result.state) {
      // Save the paused run: plain JSON, no client, no API key. It can be resumed in another process.
      await writeFile(stateFile, JSON.stringify(result.state));
      console.log(`paused with ${result.interruptions.length} call(s) awaiting approval; state saved`);

      // Later (another request, another process): load it, decide, resume with the same agent.
      const state = RunState.fromJSON(await readFile(stateFile, 'utf8'));
      for (const call of state.interruptions) {
        if (await decide(call)) state.approve(call.id);
        else state.reject(call.id, { reason: 'the user keeps this file' });
      }
      result = await agent.run(state);
    }

    console.log(result.text);
    console.log(`files left: ${(await readdir(folder)).filter((name) => name !== 'state.json').join(', ')}`);
    // #endregion
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});
