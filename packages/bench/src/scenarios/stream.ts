import type { BenchContext } from '../context.js';
import { type Candidate, measureInterleaved } from '../measure.js';
import { buildRows, skippedRows } from '../rows.js';
import type { Row } from '../table.js';
import { pairedRows } from './tool-loop.js';

/** plumb's goal: at least 90% of the minimal parser's throughput. */
const STREAM_GOAL = 0.9;

/**
 * Scenario 2: one long streamed answer (pre-rendered by the emulator, replayed from memory by the
 * bench server), read to the end (each framework in its own process; the child checks that the
 * whole content arrived). Reports content MB/s (10^6 UTF-8 bytes of `content` per second)
 * and the ratio to the floor's minimal parser. Every reader must return the whole content.
 */
export async function streamScenario(context: BenchContext): Promise<Row[]> {
  const { server } = context;
  const mb = server.streamBytes / 1e6;
  const scenario = `stream ${formatMB(mb)} MB content (${formatMB(server.streamWireBytes / 1e6)} MB SSE)`;
  context.log(`${scenario}:`);
  const readers = context.frameworks.flatMap(({ remote }) =>
    remote === undefined ? [] : remote.readers.map((label) => ({ label, remote })),
  );
  const candidates: Candidate[] = readers.map((reader) => ({
    key: reader.label,
    run: async () => mb / ((await reader.remote.read(reader.label)) / 1000),
  }));
  const outcomes = await measureInterleaved(
    candidates,
    { ...context.counts, timeoutMs: context.counts.runTimeoutMs, server },
    context.log,
  );
  const floor = readers.find((reader) => reader.label.startsWith('floor'));
  const rows = buildRows(
    {
      scenario,
      unit: 'MB/s',
      reference: { key: floor?.label ?? 'floor', name: 'floor' },
      goal: { text: `>= ${STREAM_GOAL}x floor`, met: (value) => value >= STREAM_GOAL },
    },
    readers.map((reader) => ({ key: reader.label })),
    outcomes,
  );
  // Also each plumb reader against the floor round by round (adjacent runs): median and spread.
  const paired = pairedRows(
    scenario,
    readers.map((reader) => ({ label: reader.label })),
    outcomes,
    false,
  );
  return [...rows, ...paired, ...skippedRows(scenario, 'MB/s', context.frameworks)];
}

function formatMB(value: number): string {
  return value >= 10 ? value.toFixed(0) : value.toFixed(1);
}
