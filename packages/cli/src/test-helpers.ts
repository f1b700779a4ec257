import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Test-only helpers (excluded from the build). */

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));
export const FIXTURES = fileURLToPath(new URL('./__fixtures__/', import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

/** The environment of a CLI child: offline (no key), no recording unless asked. */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra };
  delete env.DEEPSEEK_API_KEY;
  delete env.DEEPSEEK_BASE_URL;
  if (extra.PLUMB_RECORD === undefined) delete env.PLUMB_RECORD;
  return env;
}

/** Starts `plumb <args>` from source as a child process (tsx, the source condition). */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv = cliEnv()): ChildProcess {
  return spawn(process.execPath, ['--conditions=@plumb/source', '--import', 'tsx', CLI, ...args], {
    cwd: PACKAGE_DIR,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Runs `plumb <args>` to its end, with `input` on stdin. */
export async function runCli(
  args: string[],
  options: { input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnCli(args, options.env);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  child.stdin?.end(options.input ?? '');
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}
