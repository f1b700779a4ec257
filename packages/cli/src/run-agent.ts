import type { Agent, AgentResult, RunState } from '@plumb/agent';
import { formatUsage, preview } from './format.js';
import type { CliIo } from './io.js';

/** How a streamed run is shown. */
export interface ShowOptions {
  io: CliIo;
  /** Seconds between progress lines (on stderr). */
  progressEvery: number;
  signal?: AbortSignal | undefined;
}

/**
 * Streams one run to the terminal: the answer on stdout; reasoning, tool calls and a progress
 * line on stderr (rewritten in place on a terminal, one line every `progressEvery` seconds
 * otherwise); the usage and cost at the end.
 */
export async function showRun(
  // biome-ignore lint/suspicious/noExplicitAny: any agent, whatever its output schema.
  agent: Agent<any>,
  input: string | readonly import('@plumb/core').ChatMessage[] | RunState,
  options: ShowOptions,
): Promise<AgentResult<unknown>> {
  const { io } = options;
  const started = performance.now();
  let step = 0;
  let toolCalls = 0;
  let chars = 0;
  let atLineStart = true;
  let reasoning = false;
  const tty = io.stderr.isTTY === true;
  const progress = () => {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const line = `… step ${step + 1} · ${toolCalls} tool calls · ${chars} chars · ${seconds}s`;
    if (tty) io.stderr.write(`\r\x1b[2K${line}\r`);
    else {
      if (!atLineStart) io.stdout.write('\n');
      atLineStart = true;
      io.stderr.write(`${line}\n`);
    }
  };
  const timer = setInterval(progress, Math.max(10, options.progressEvery * 1000));
  timer.unref?.();
  const newline = () => {
    if (!atLineStart) io.stdout.write('\n');
    atLineStart = true;
  };
  try {
    const stream = agent.stream(input, options.signal === undefined ? {} : { signal: options.signal });
    for await (const event of stream) {
      switch (event.type) {
        case 'step-start':
          step = event.stepIndex;
          break;
        case 'reasoning-delta':
          if (!reasoning) io.stderr.write('[reasoning] ');
          reasoning = true;
          io.stderr.write(event.text);
          break;
        case 'text-delta':
          if (reasoning) io.stderr.write('\n');
          reasoning = false;
          io.stdout.write(event.text);
          chars += event.text.length;
          atLineStart = event.text.endsWith('\n');
          break;
        case 'tool-call':
          if (reasoning) io.stderr.write('\n');
          reasoning = false;
          newline();
          toolCalls++;
          io.stderr.write(`→ ${event.name}(${preview(event.args ?? event.rawArguments)})\n`);
          break;
        case 'tool-approval-request':
          io.stderr.write(`? ${event.name} needs approval (call ${event.id})\n`);
          break;
        case 'tool-result': {
          const call = event.toolCall;
          const took = call.durationMs === undefined ? '' : ` (${Math.round(call.durationMs)}ms)`;
          const shown =
            call.status === 'ok'
              ? preview(call.result ?? call.content)
              : `${call.status}: ${preview(call.error ?? call.content)}`;
          io.stderr.write(`← ${event.name}${took}: ${shown}\n`);
          break;
        }
        default:
          break;
      }
    }
    const result = await stream.result;
    newline();
    if (tty) io.stderr.write('\r\x1b[2K');
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    io.stderr.write(
      `${formatUsage(result.usage, result.cost)} · ${result.steps.length} steps · ${seconds}s · ${result.finishReason}\n`,
    );
    return result;
  } finally {
    clearInterval(timer);
  }
}
