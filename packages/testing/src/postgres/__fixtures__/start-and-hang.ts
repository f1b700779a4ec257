/** Starts a cluster, prints its pid and folder, and waits to be killed (never calls stop()). */
import { startPostgres } from '../postgres.js';

const cluster = await startPostgres();
process.stdout.write(`${JSON.stringify({ pid: cluster.pid, dir: cluster.dir })}\n`);
setInterval(() => {}, 60_000);
