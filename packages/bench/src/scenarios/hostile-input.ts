import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fsPack } from '@plumb/packs/fs';
import { htmlToText } from '@plumb/packs/http';
import { calculate } from '@plumb/packs/math';
import { checkTimeZone, parseDateTime } from '@plumb/packs/time';
import { tool } from '@plumb/tools';
import { z } from 'zod';
import type { BenchContext } from '../context.js';
import { errorText, type Outcome } from '../measure.js';
import { buildRows } from '../rows.js';
import type { Row } from '../table.js';

const MB = 1_000_000;
/** plumb's goal: each parser handles 1 MB of hostile text in well under a second (linear time). */
const BUDGET_MS = 1000;

interface HostileCase {
  key: string;
  run(): unknown;
}

const repairTool = tool({
  name: 'write_file',
  description: 'Write a file',
  parameters: z.object({ path: z.string(), content: z.string() }),
  execute: () => 'ok',
});

/**
 * The inputs of issue 12: text a model or a web page controls, shaped to hit the worst case of a
 * naive parser (a quadratic regex, a cubic JSON repair, an unbounded date or zone parse). The
 * tests check the results; this measures the time.
 */
function cases(folder: string): HostileCase[] {
  const search = fsPack({ root: folder }).tools.find((item) => item.name === 'search_files')!;
  const searchFor = (args: object) =>
    search.invoke({ id: 'call_bench', function: { arguments: JSON.stringify(args) } });
  return [
    { key: 'htmlToText: <pre> of spaces', run: () => htmlToText(`<pre>${' '.repeat(MB)}x</pre>`) },
    { key: 'htmlToText: a million "<"', run: () => htmlToText('<'.repeat(MB)) },
    {
      key: 'argument repair: unclosed quotes',
      run: () => repairTool.parseArguments(`{'path': 'a', 'content': "b${' "x'.repeat(MB / 3)}}`),
    },
    {
      key: 'argument repair: 1 MB string',
      run: () => repairTool.parseArguments(`{'path':'a','content':'${'x'.repeat(MB)}',}`),
    },
    { key: 'fs search: 1 MB glob', run: () => searchFor({ name: '*a'.repeat(MB / 2) }) },
    { key: 'fs search: 1 MB text', run: () => searchFor({ content: 'a'.repeat(MB) }) },
    { key: 'fs search: worst glob in limits', run: () => searchFor({ name: `${'*a'.repeat(249)}b` }) },
    {
      key: 'time: 1 MB date-time',
      run: () => tryIt(() => parseDateTime(`2025-03-09${' '.repeat(MB)}x`, Date.now)),
    },
    { key: 'time: 1 MB zone name', run: () => tryIt(() => checkTimeZone('Europe/'.repeat(MB / 7))) },
    { key: 'math: 1 MB expression', run: () => tryIt(() => calculate('1+'.repeat(MB / 2))) },
  ];
}

function tryIt(action: () => unknown): unknown {
  try {
    return action();
  } catch (error) {
    return error;
  }
}

/**
 * Scenario 6: each parser that reads model- or web-controlled text, fed 1 MB of hostile input,
 * in this process (no emulator needed). Reports the median time and its ratio to a 1 s budget.
 */
export async function hostileInputScenario(context: BenchContext): Promise<Row[]> {
  const scenario = 'hostile input, 1 MB each';
  context.log(`${scenario}:`);
  const folder = await mkdtemp(path.join(tmpdir(), 'plumb-bench-hostile-'));
  try {
    await mkdir(path.join(folder, 'src'));
    await writeFile(path.join(folder, 'src', 'a.txt'), 'a'.repeat(1000));
    const list = cases(folder);
    const outcomes = new Map<string, Outcome>();
    const runs = Math.max(1, context.counts.runs);
    for (const item of list) {
      const samples: number[] = [];
      try {
        for (let round = 0; round < runs + 1; round++) {
          const start = performance.now();
          await item.run();
          if (round > 0) samples.push(performance.now() - start);
        }
        outcomes.set(item.key, { samples });
      } catch (error) {
        outcomes.set(item.key, { error: errorText(error) });
      }
      context.log(`  ${item.key} done`);
    }
    return buildRows(
      {
        scenario,
        unit: 'ms',
        reference: { value: BUDGET_MS, name: '1 s' },
        goal: { text: '< 1x 1 s', met: (ratio) => ratio < 1 },
      },
      list.map((item) => ({ key: item.key, label: `plumb ${item.key}` })),
      outcomes,
    );
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
