/**
 * `run(main)`: the wrapper of every example. Runs `main`, closes the emulator whatever happens,
 * and on failure prints what went wrong (for a DeepSeek API error: status, request id, message)
 * and exits with code 1.
 */
import { AgentError } from '@plumb/agent';
import { APIError, isDeepSeekError } from '@plumb/core';
import { ToolError } from '@plumb/tools';
import { closeAll } from './connect.js';

// #region describe-error
/** A readable account of a failure, API details first (an agent's error wraps the API error). */
function describeError(error: unknown): string {
  const lines: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    if (APIError.isInstance(current)) {
      lines.push(`${current.name}: status ${current.status ?? '(in stream)'}, type ${current.type ?? '-'}`);
      lines.push(`  request id: ${current.requestId ?? '(none)'}`);
      lines.push(`  ${current.message}`);
    } else if (current instanceof Error) {
      lines.push(`${current.name}: ${current.message}`);
    } else {
      lines.push(String(current));
    }
    current = current instanceof Error ? current.cause : undefined;
  }
  return lines.join('\n');
}
// #endregion

function isPlumbError(error: unknown): boolean {
  return isDeepSeekError(error) || AgentError.isInstance(error) || ToolError.isInstance(error);
}

/** Runs an example's `main`; never lets the emulator outlive it. */
export function run(main: () => Promise<void>): void {
  // `pnpm demo | head` closes the pipe early: stop quietly instead of crashing on EPIPE.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    void closeAll().then(() => process.exit(0));
  });
  main().then(
    () => closeAll(),
    async (error: unknown) => {
      await closeAll();
      console.error(`\nThe example failed.\n${describeError(error)}`);
      // A plumb error's message says what to do; anything else is a bug worth a stack trace.
      if (!isPlumbError(error) && error instanceof Error) console.error(error.stack);
      process.exit(1);
    },
  );
}
