import { Agent } from '@plumb/agent';
import { DeepSeek } from '@plumb/core';
import { tool } from '@plumb/tools';
import { z } from 'zod';

const getWeather = tool({
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: z.object({ city: z.string() }),
  execute: async ({ city }) => ({ city, celsius: 21 }),
});

const agent = new Agent({ client: new DeepSeek(), instructions: 'Be brief.', tools: [getWeather] });
const result = await agent.run('What is the weather in Paris?');
console.log(result.text, result.totalUsage.totalTokens, result.cost?.total, result.cacheHitRatio);

for await (const event of agent.stream('And in Rome?')) {
  if (event.type === 'text-delta') process.stdout.write(event.text);
}
