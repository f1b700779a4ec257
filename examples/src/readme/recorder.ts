import { Agent } from '@plumb/agent';
import { createRecorder } from '@plumb/recorder';
import { tool } from '@plumb/tools';
import { z } from 'zod';

const tools = [
  tool({
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: z.object({ city: z.string() }),
    execute: async ({ city }) => ({ city, celsius: 21 }),
  }),
];

const recorder = createRecorder({ store: '.plumb/runs.db' }); // or 'runs.jsonl', or a RunStore
const agent = new Agent({ tools, recorder });
await agent.run('What is the weather in Paris?');

const [latest] = await recorder.listRuns({ limit: 1 });
const { run, events } = (await recorder.readRun(latest!.runId))!;
console.log(run.runId === latest!.runId, events.length > 0);
