import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { postgresUnavailableReason, startPostgres } from './index.js';

const reason = postgresUnavailableReason();
if (reason !== undefined && process.env.CI === 'true')
  throw new Error(`CI must run the Postgres tests, but ${reason}.`);

/** Whether `pid` runs (a zombie left for a parent that does not reap it counts as ended). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return true;
  return readFileSync(stat, 'utf8').split(') ')[1]?.[0] !== 'Z';
}

/** Polls until `check` holds, at most `tries` times 250 ms apart (a bound, not a timing claim). */
async function eventually(check: () => boolean, tries = 120): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return check();
}

describe.skipIf(reason !== undefined)(`startPostgres${reason ? ` (skipped: ${reason})` : ''}`, () => {
  it('starts a private cluster on loopback and stop() ends exactly it and removes its folder', async () => {
    const cluster = await startPostgres();
    expect(cluster.url).toMatch(/^postgres:\/\/plumb@127\.0\.0\.1:\d+\/postgres$/);
    expect(alive(cluster.pid)).toBe(true);
    expect(await cluster.createDatabase('second')).toBe(`postgres://plumb@127.0.0.1:${cluster.port}/second`);
    await expect(cluster.createDatabase('bad-name')).rejects.toThrow(/\[a-z0-9_\]/);
    await cluster.stop();
    expect(alive(cluster.pid)).toBe(false);
    expect(existsSync(cluster.dir)).toBe(false);
    await cluster.stop(); // twice is fine
  }, 60_000);

  it('stops the cluster when the process that started it dies without stop()', async () => {
    const script = fileURLToPath(new URL('./__fixtures__/start-and-hang.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@plumb/source', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += chunk;
        if (out.includes('\n')) resolve(out.split('\n')[0] as string);
      });
      child.on('exit', (code) => reject(new Error(`child exited early (${code})`)));
    });
    const { pid, dir } = JSON.parse(line) as { pid: number; dir: string };
    expect(alive(pid)).toBe(true);
    child.kill('SIGKILL');
    expect(await eventually(() => !alive(pid) && !existsSync(dir))).toBe(true);
  }, 90_000);
});
