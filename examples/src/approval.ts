/**
 * Human approval with resume from saved state: a tool marked `needsApproval` pauses the run
 * (finishReason 'interrupted'). The state is saved as signed JSON to a file, loaded back and
 * verified, the calls are approved or rejected, and the run resumes where it stopped (once).
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
    // The keys of the calls that ran. A real program keeps them in a unique column of its
    // database, so a call runs once even if two processes resume copies of the same saved state.
    const done = new Map<string, string>();
    const deleteFile = tool({
      name: 'delete_file',
      description: 'Deletes a file from the work folder.',
      parameters: z.object({ path: z.string() }),
      needsApproval: true, // or a function: ({ path }, { baseName }) => !path.endsWith('.log')
      execute: async ({ path }, { idempotencyKey }) => {
        const earlier = done.get(idempotencyKey);
        if (earlier !== undefined) return earlier; // this very call already ran
        if (basename(path) !== path) throw new Error('Give a file name from list_files, not a path.');
        await rm(join(folder, path));
        done.set(idempotencyKey, `deleted ${path}`);
        return `deleted ${path}`;
      },
    });
    const agent = new Agent({
      client,
      instructions: 'You tidy the work folder: delete the temporary (.tmp) files.',
      tools: [listFiles, deleteFile],
    });

    // The program's secret signs saved states (keep it in your secret store; 32 bytes or more).
    const secret = process.env.STATE_SECRET ?? crypto.getRandomValues(new Uint8Array(32));
    let result = await agent.run('Clean up the work folder.');
    const stateFile = join(folder, 'state.json');
    while (result.finishReason === 'interrupted' && result.state) {
      // Save the paused run, signed: no client, no API key, but the history and the tool results
      // so far, so store it like the conversation itself. Any change to the file fails the load.
      await writeFile(stateFile, await result.state.toSignedJSON({ secret }));
      console.log(`paused with ${result.interruptions.length} call(s) awaiting approval; state saved`);

      // Later (another request, another process): load and verify it, decide, resume once.
      const state = await RunState.fromSignedJSON(await readFile(stateFile, 'utf8'), { secret });
      for (const call of state.interruptions) {
        // call.rawArguments is exactly what runs if approved; call.args is it parsed.
        if (await decide(call)) state.approve(call.id);
        else state.reject(call.id, { reason: 'the user keeps this file' });
      }
      result = await agent.run(state); // a second run of the same state is a RunStateError
    }

    console.log(result.text);
    console.log(`files left: ${(await readdir(folder)).filter((name) => name !== 'state.json').join(', ')}`);
    // #endregion
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});
