import { tool, toolPack } from '@plumb/tools';
import { z } from 'zod';

async function fetchWeather(city: string, signal: AbortSignal) {
  signal.throwIfAborted();
  return { city, celsius: 21 };
}

const getWeather = tool({
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: z.object({ city: z.string(), units: z.enum(['c', 'f']).optional() }),
  execute: async ({ city }, { signal }) => fetchWeather(city, signal), // args typed from the schema
  timeoutMs: 10_000,
});

console.log(getWeather.definition.function.name); // { type: 'function', function: { name, description, parameters } }

// A wire tool call as the model sent it; invoke() parses, validates and runs it, and never throws.
const toolCall = { id: 'call_00_example', function: { arguments: '{"city": "Paris"}' } };
const outcome = await getWeather.invoke(toolCall, { finishReason: 'tool_calls' });
console.log(outcome.content); // the tool message: the result as JSON, or an error the model can act on

const weather = toolPack({
  name: 'weather',
  description: 'Weather tools',
  prefix: true,
  tools: [getWeather],
});
console.log(weather.tools.map((item) => item.name)); // [ 'weather_get_weather' ]
