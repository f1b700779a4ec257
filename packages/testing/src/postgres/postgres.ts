import { execFile, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A throwaway PostgreSQL cluster started by `startPostgres`. */
export interface PostgresCluster {
  /** `postgres://plumb@127.0.0.1:<port>/postgres`: trust authentication, loopback only. */
  url: string;
  host: string;
  port: number;
  /** The postmaster's process id (the only process `stop()` ends, through `pg_ctl stop`). */
  pid: number;
  /** The cluster's folder (data directory, socket and log), removed by `stop()`. */
  dir: string;
  /** Creates another database in the cluster and returns its URL (one per test file, say). */
  createDatabase(name: string): Promise<string>;
  /** Stops the cluster (`pg_ctl stop -m fast`) and removes its folder. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * The folder holding `initdb` and `pg_ctl`: `PLUMB_PG_BIN`, else the newest
 * `/usr/lib/postgresql/<version>/bin` (Debian's layout), else undefined.
 */
export function findPostgresBin(): string | undefined {
  const configured = process.env.PLUMB_PG_BIN;
  if (configured) return existsSync(join(configured, 'pg_ctl')) ? configured : undefined;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter(
      (name) =>
        existsSync(join(root, name, 'bin', 'pg_ctl')) && existsSync(join(root, name, 'bin', 'initdb')),
    )
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
}

/** Why `startPostgres` cannot work here (for a visible skip), or undefined when it can. */
export function postgresUnavailableReason(): string | undefined {
  if (findPostgresBin() !== undefined) return undefined;
  return 'no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin or PLUMB_PG_BIN; install them with `apt-get install -y postgresql` (scripts/ci-postgres.sh does in CI)';
}

/**
 * Starts a private PostgreSQL cluster for tests: `initdb` in a new temporary folder, then
 * `pg_ctl start` on a free loopback port (TCP on 127.0.0.1 only, fsync off). As root (CI), the
 * server runs as the `postgres` user, since PostgreSQL refuses to run as root. `stop()` stops
 * exactly this cluster, by its data directory, and nothing else.
 *
 * @example
 * const pg = await startPostgres();
 * try { await usePool(pg.url); } finally { await pg.stop(); }
 */
export async function startPostgres(): Promise<PostgresCluster> {
  const bin = findPostgresBin();
  if (bin === undefined) throw new Error(`Cannot start PostgreSQL: ${postgresUnavailableReason()}.`);
  const dir = mkdtempSync(join(tmpdir(), 'plumb-pg-'));
  const data = join(dir, 'data');
  const asUser = asServerUser(dir);
  const port = await freePort();
  let started = false;
  let stop = async (): Promise<void> => {
    if (started) {
      started = false;
      await run(...asUser(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop'])).catch(() => {});
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await run(
      ...asUser(join(bin, 'initdb'), [
        '-D',
        data,
        '-U',
        'plumb',
        '--auth=trust',
        '-E',
        'UTF8',
        '--no-locale',
      ]),
    );
    const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
    await run(
      ...asUser(join(bin, 'pg_ctl'), [
        '-D',
        data,
        '-o',
        serverOptions,
        '-l',
        join(dir, 'server.log'),
        '-w',
        'start',
      ]),
    );
    started = true;
    const watchdog = startWatchdog(
      asUser(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']),
      dir,
    );
    const stopServer = stop;
    stop = async () => {
      watchdog?.kill();
      await stopServer();
    };
    const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const psql = join(bin, 'psql');
    const url = `postgres://plumb@127.0.0.1:${port}/postgres`;
    return {
      url,
      host: '127.0.0.1',
      port,
      pid,
      dir,
      async createDatabase(name: string) {
        if (!/^[a-z_][a-z0-9_]*$/.test(name))
          throw new Error(`Database name ${JSON.stringify(name)}: use [a-z0-9_].`);
        const command = existsSync(psql) ? psql : 'psql';
        await run(command, [
          '-h',
          '127.0.0.1',
          '-p',
          String(port),
          '-U',
          'plumb',
          '-d',
          'postgres',
          '-c',
          `CREATE DATABASE ${name}`,
        ]);
        return `postgres://plumb@127.0.0.1:${port}/${name}`;
      },
      stop,
    };
  } catch (error) {
    const log = join(dir, 'server.log');
    const detail = existsSync(log) ? `\n${readFileSync(log, 'utf8').slice(-2000)}` : '';
    await stop();
    throw new Error(`Could not start PostgreSQL from ${bin}: ${(error as Error).message}${detail}`);
  }
}

/** Runs server commands as `postgres` when we are root (PostgreSQL refuses root). */
function asServerUser(dir: string): (command: string, args: string[]) => [string, string[]] {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0)
    return (command, args) => [command, args];
  const passwd = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((line) => line.startsWith('postgres:'));
  const [, , uid, gid] = passwd?.split(':') ?? [];
  if (uid === undefined || gid === undefined) {
    throw new Error(
      'Running as root, but there is no `postgres` user to run the server as (install the postgresql package).',
    );
  }
  chownSync(dir, Number(uid), Number(gid));
  chmodSync(dir, 0o700);
  return (command, args) => ['runuser', ['-u', 'postgres', '--', command, ...args]];
}

/**
 * A tiny shell loop that stops this cluster if this process dies without calling `stop()` (a
 * test runner killing a timed-out worker, say), so no server outlives its tests. `stop()` kills it.
 */
function startWatchdog([command, args]: [string, string[]], dir: string) {
  const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;
  const stopCommand = [command, ...args].map(quote).join(' ');
  const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; ${stopCommand} >/dev/null 2>&1; rm -rf ${quote(dir)}`;
  try {
    const child = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
    child.unref();
    return child;
  } catch {
    return undefined; // no shell: stop() still works, only the safety net is missing
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}
