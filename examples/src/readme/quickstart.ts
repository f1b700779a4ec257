import { Agent } from '@plumb/agent';
import { tool } from '@plumb/tools';
import { z } from 'zod';

const getWeather = tool({
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: z.object({ city: z.string() }),
  execute: async ({ city }) => ({ city, celsius: 21, conditions: 'sunny' }),
});

const agent = new Agent({ tools: [getWeather] }); // reads DEEPSEEK_API_KEY
const result = await agent.run('What is the weather in Paris?');
console.log(result.text);
console.log(`${result.usage.total_tokens} tokens, $${result.cost?.total.toFixed(6)}`);
