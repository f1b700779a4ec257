/**
 * A long tool run that stays inside its context window: 60 steps of a crawler in thinking mode,
 * with a 24K-token window. Old tool results are cleared (newest eligible first, so the cached
 * prefix survives), older steps are summarized by a cheap Flash call, and every compaction is
 * reported: tokens before and after, cache tokens lost, hit ratio before and after, cost.
 *   pnpm example long-run
 */
import { Agent, type AgentEvent, clearToolResults, dropOldestTurns, summarizeTurns } from '@plumb/agent';
import type { Turn } from '@plumb/testing';
import { tool } from '@plumb/tools';
import { z } from 'zod';
import { connect } from './lib/connect.js';
import { run } from './lib/run.js';

const PAGES = 60;
const page = (n: number) => `page ${n}: ${'archive text '.repeat(90)}`;

/** The offline model: one fetch per step, a summary when asked, then the answer. */
function crawler() {
  let step = 0;
  return (request: { body: { tools?: unknown } }): Turn => {
    if (request.body.tools === undefined) return { content: 'Pages so far: archive text, nothing unusual.' };
    const n = step++;
    if (n >= PAGES) return { content: `Crawled all ${PAGES} pages.` };
    return { reasoning: `Page ${n} next.`, toolCalls: [{ name: 'fetch_page', arguments: { page: n } }] };
  };
}

run(async () => {
  const { client } = await connect({ script: crawler() });
  const fetchPage = tool({
    name: 'fetch_page',
    description: 'Fetches one page of the archive.',
    parameters: z.object({ page: z.number() }),
    execute: ({ page: n }) => page(n),
  });

  // #region context
  const agent = new Agent({
    client,
    instructions: `Fetch pages 0 to ${PAGES - 1} of the archive with fetch_page, one per step, then say so.`,
    tools: [fetchPage],
    maxSteps: PAGES + 5,
    maxTokens: 2_000, // the output reserve: the window minus this is what input may use
    context: {
      window: 24_000, // default: the model's (1,048,576), or 'models' to ask GET /models
      trigger: { fraction: 0.7 }, // or { tokens: 50_000 }, or { costPerStep: 0.002 }
      strategies: [
        clearToolResults({ keepLast: 4 }),
        summarizeTurns({ keepLast: 6, maxTokens: 400 }), // Flash, thinking off
        dropOldestTurns({ keepLast: 4 }),
      ],
    },
  });
  const stream = agent.stream('Crawl the archive.');
  for await (const event of stream as AsyncIterable<AgentEvent>) {
    if (event.type !== 'context-compacted') continue;
    const { report } = event;
    console.log(
      `step ${report.stepIndex}: ${report.before.tokens} -> ${report.after.tokens} tokens (${report.strategies.join(' + ')}), ` +
        `from message ${report.from}, ~${report.cacheTokensLost} cached tokens lost, ` +
        `compaction cost $${(report.cost?.total ?? 0).toFixed(6)}`,
    );
  }
  const result = await stream.result;
  // #endregion

  console.log(result.text);
  for (const report of result.compactions ?? []) {
    const after = report.cacheHitRatioAfter ?? 0;
    const next = result.steps[report.stepIndex + 1]?.cacheHitRatio ?? 0;
    console.log(
      `cache hit ratio around step ${report.stepIndex}: ${pct(report.cacheHitRatioBefore)} before, ${pct(after)} on the compacted request, ${pct(next)} after`,
    );
  }
  console.log(
    `${result.steps.length} steps, ${result.compactions?.length ?? 0} compactions, finish: ${result.finishReason}`,
  );
});

function pct(ratio: number): string {
  return `${(ratio * 100).toFixed(0)}%`;
}
