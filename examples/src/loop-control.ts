/**
 * Loop control: stop conditions, per-step settings (prepareStep), dynamic instructions, a tool
 * subset per run, and a steering hook that answers a call from a cache.
 *   pnpm example loop-control
 */
import { Agent, hasToolCall, stepCountIs } from '@plumb/agent';
import { tool } from '@plumb/tools';
import { z } from 'zod';
import { connect } from './lib/connect.js';
import { run } from './lib/run.js';
import { getWeather } from './lib/weather.js';

const submitReport = tool({
  name: 'submit_report',
  description: 'Submits the finished weather report. Call it once, with the whole report.',
  parameters: z.object({ report: z.string() }),
  execute: async ({ report }) => ({ saved: true, characters: report.length }),
});

run(async () => {
  const { client } = await connect({
    script: [
      // The report run: two lookups, then the report (the run stops on that call).
      {
        toolCalls: [
          { name: 'get_weather', arguments: { city: 'Paris' } },
          { name: 'get_weather', arguments: { city: 'Oslo' } },
        ],
      },
      {
        toolCalls: [
          {
            name: 'submit_report',
            arguments: { report: 'Paris: 18 °C, light rain. Oslo: 9 °C, windy.' },
          },
        ],
      },
      // The cached run: one lookup (answered from the cache), then the answer.
      { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
      { content: 'It is 18 °C with light rain in Paris.' },
    ],
  });

  // #region stop-when
  interface Reader {
    name: string;
  }
  const reporter = new Agent({
    client,
    thinking: false,
    // A function of the run: called before each step. Keep its answer stable within a run, since
    // the system prompt starts the cached prefix.
    instructions: ({ data }) =>
      `You write weather reports for ${(data as Reader).name}. Look up each city, then call submit_report.`,
    tools: [getWeather, submitReport],
    // Stop once the report is submitted (no closing answer needed), and after 6 steps at most.
    stopWhen: [hasToolCall('submit_report'), stepCountIs(6)],
    // Once every city is looked up, offer only submit_report.
    prepareStep: ({ steps }) => (steps.length > 0 ? { activeTools: ['submit_report'] } : undefined),
  });
  const report = await reporter.run('Report on Paris and Oslo.', { data: { name: 'Ada' } });
  console.log(`finish reason: ${report.finishReason}, steps: ${report.steps.length}`);
  for (const step of report.steps) {
    const lost = step.cacheBreak;
    if (lost !== undefined) {
      console.log(
        `step ${step.index} lost ${lost.cacheMissTokens} cached tokens (${lost.changed.join(', ')})`,
      );
    }
  }
  // #endregion

  // #region on-tool-call
  const cache = new Map([['paris', { city: 'Paris', celsius: 18, conditions: 'light rain' }]]);
  const cached = new Agent({
    client,
    tools: [getWeather, submitReport],
    // Steering: answer a lookup from the cache instead of running the tool.
    onToolCall: ({ name, args }) => {
      const hit =
        name === 'get_weather' ? cache.get((args as { city: string }).city.toLowerCase()) : undefined;
      return hit === undefined ? undefined : { action: 'skip', result: hit };
    },
  });
  // This run offers get_weather only.
  const answer = await cached.run('Weather in Paris?', { activeTools: ['get_weather'] });
  console.log(`${answer.steps[0]?.toolCalls[0]?.steered}: ${answer.text}`);
  // #endregion
});
