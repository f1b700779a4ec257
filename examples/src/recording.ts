/**
 * Recording runs: every event of a run (steps, deltas, tool calls with their arguments and
 * results, durations, usage, cost) written to a local SQLite file, then read back.
 *   pnpm example recording
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from '@plumb/agent';
import { createRecorder } from '@plumb/recorder';
import { connect } from './lib/connect.js';
import { run } from './lib/run.js';
import { getWeather } from './lib/weather.js';

run(async () => {
  const { client } = await connect({
    script: [
      { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
      { content: 'It is 18 °C with light rain in Paris: take an umbrella.' },
    ],
  });
  const folder = mkdtempSync(join(tmpdir(), 'plumb-runs-'));
  try {
    // #region record
    const recorder = createRecorder({ store: join(folder, 'runs.db') }); // default: .plumb/runs.db
    const agent = new Agent({ client, tools: [getWeather], recorder });
    await agent.run('What is the weather in Paris?');
    // #endregion

    // #region read
    const [latest] = await recorder.listRuns({ limit: 1 });
    if (latest === undefined) throw new Error('no run was recorded');
    console.log(`${latest.runId}: ${latest.status}, ${latest.steps} steps, ${latest.toolCalls} tool call(s)`);
    const recorded = await recorder.readRun(latest.runId);
    for (const event of recorded?.events ?? []) {
      if (event.type === 'text-delta' || event.type === 'reasoning-delta') continue;
      console.log(
        `  #${event.seq} ${event.type}${event.stepIndex === undefined ? '' : ` (step ${event.stepIndex})`}`,
      );
    }
    // #endregion
    await recorder.close();
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
