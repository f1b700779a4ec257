/**
 * A chat that survives a restart: the conversation starts in one Node process and goes on in
 * another (lib/session-turn.ts), and it lives in a SQLite file through @plumb/sessions. The stored messages are
 * the exact bytes that were sent, so DeepSeek's replay rule holds and the cached prefix is hit
 * after every restart.
 *   pnpm example session-chat
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forkSession, readSession } from '@plumb/agent';
import { sqliteSessionStore } from '@plumb/sessions';
import { connect } from './lib/connect.js';
import { run } from './lib/run.js';

const turn = fileURLToPath(new URL('./lib/session-turn.ts', import.meta.url));

/** Runs turns in a new process, as after a restart; resolves with what it printed. */
function inNewProcess(questions: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, turn], {
      env: { ...process.env, ...env, QUESTIONS: JSON.stringify(questions) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`turn exited with ${code}`))));
  });
}

run(async () => {
  const { emulator } = await connect({
    script: [
      { content: 'Nice to meet you, Ada!' },
      { reasoning: 'Multiply exactly.', toolCalls: [{ name: 'multiply', arguments: { a: 17, b: 23 } }] },
      { content: '17 × 23 = 391.' },
      { content: 'Your name is Ada.' },
    ],
  });
  const folder = await mkdtemp(join(tmpdir(), 'plumb-session-chat-'));
  const env: Record<string, string> = { SESSIONS_DB: join(folder, 'sessions.db') };
  // Offline, each process talks to this process's emulator; with a key, to DeepSeek.
  if (emulator !== undefined)
    Object.assign(env, { DEEPSEEK_API_KEY: emulator.apiKey, DEEPSEEK_BASE_URL: emulator.url });
  try {
    const processes = [['Hi, my name is Ada.', 'What is 17 * 23?'], ['What is my name?']];
    for (const [i, questions] of processes.entries()) {
      console.log(`process ${i + 1}:`);
      process.stdout.write(await inNewProcess(questions, env));
    }
    // #region manage
    const store = await sqliteSessionStore({ path: env.SESSIONS_DB });
    const session = await readSession(store, 'chat-ada', { userId: 'ada' }); // messages, paused state, turns
    console.log(
      `stored: ${session?.messages.length} messages in ${session?.turns.length} turns, revision ${session?.revision}`,
    );
    // A branch with the first two turns, byte for byte (it shares the original's cached prefix).
    const branch = await forkSession(store, 'chat-ada', { to: 'chat-ada-b', turn: 2, userId: 'ada' });
    console.log(`forked: ${branch.messages.length} messages`);
    for (const entry of await store.list({ userId: 'ada' }))
      console.log(`session ${entry.id}: ${entry.length} messages`);
    await store.delete('chat-ada-b');
    await store.close?.();
    // #endregion
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});
