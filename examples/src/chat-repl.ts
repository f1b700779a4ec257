/**
 * Multi-turn chat in the terminal: each turn sends the whole conversation so far
 * (`result.messages`) plus the new user line, and streams the reply.
 *   pnpm example chat-repl                      # interactive; type exit or Ctrl-D to leave
 *   echo "Hello" | pnpm example chat-repl       # reads the lines from stdin
 * With no input at all (stdin not a terminal and empty) it plays two sample lines.
 */
import { createInterface } from 'node:readline';
import { Agent } from '@plumb/agent';
import type { ChatMessage } from '@plumb/core';
import type { Script } from '@plumb/testing';
import { connect } from './lib/connect.js';
import { run } from './lib/run.js';
import { bold, cyan, green, write } from './lib/terminal.js';

const SAMPLE = [
  {
    line: 'Hi! My name is Ada. Suggest a name for my cat, one word.',
    reply: 'Nice to meet you, Ada! Pixel.',
  },
  { line: 'What was my name again?', reply: 'Your name is Ada.' },
];

/** Offline replies: the sample answers for the sample lines, an echo for anything else. */
const offlineReplies: Script = (request) => {
  const said: string = request.body.messages.at(-1)?.content ?? '';
  const sample = SAMPLE.find((entry) => entry.line === said);
  if (sample === undefined) {
    return {
      content: `(scripted reply) You said: "${said}". Set DEEPSEEK_API_KEY to talk to the real model.`,
    };
  }
  return {
    // The model remembers because every request carries the conversation so far.
    expect: ({ body }) => {
      if (sample === SAMPLE[1] && !JSON.stringify(body.messages).includes('Ada'))
        throw new Error('no history');
    },
    content: sample.reply,
  };
};

/** Every non-empty line of stdin, when stdin is a pipe or a file. */
async function pipedLines(): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of createInterface({ input: process.stdin }))
    if (line.trim()) lines.push(line.trim());
  return lines;
}

run(async () => {
  const { client } = await connect({ script: offlineReplies });

  // #region repl
  const agent = new Agent({
    client,
    instructions: 'You are a friendly assistant. Keep answers short.',
    thinking: false, // quick replies; remove to let the model think first
  });
  let history: ChatMessage[] = [];

  async function reply(line: string): Promise<void> {
    const stream = agent.stream([...history, { role: 'user', content: line }]);
    write(cyan('assistant> '));
    for await (const text of stream.textStream()) write(text);
    write('\n');
    history = (await stream.result).messages; // the conversation so far, ready to send again
  }
  // #endregion

  if (process.stdin.isTTY) {
    console.log(bold('Chat with DeepSeek. Type exit (or Ctrl-D) to leave.'));
    const terminal = createInterface({ input: process.stdin, output: process.stdout });
    terminal.setPrompt(green('you> '));
    terminal.prompt();
    for await (const line of terminal) {
      if (line.trim() === 'exit') break;
      if (line.trim() !== '') await reply(line.trim());
      terminal.prompt();
    }
    terminal.close();
  } else {
    const lines = await pipedLines();
    for (const line of lines.length > 0 ? lines : SAMPLE.map((entry) => entry.line)) {
      console.log(`${green('you> ')}${line}`);
      await reply(line);
    }
  }
  console.log(`(${history.length} messages in the conversation)`);
});
