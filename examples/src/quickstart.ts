/**
 * The quickstart: one tool, one agent, one question.
 *   pnpm example quickstart
 */
import { Agent } from '@plumb/agent';
import { tool } from '@plumb/tools';
import { z } from 'zod';
import { connect } from './lib/connect.js';
import { run } from './lib/run.js';

run(async () => {
  const { client } = await connect({
    script: [
      { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
      { content: 'It is 21 °C and sunny in Paris.' },
    ],
  });

  // #region quickstart
  const getWeather = tool({
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: z.object({ city: z.string() }),
    execute: async ({ city }) => ({ city, celsius: 21, conditions: 'sunny' }),
  });

  const agent = new Agent({ client, tools: [getWeather] });
  const result = await agent.run('What is the weather in Paris?');

  console.log(result.text);
  console.log(`${result.usage.total_tokens} tokens, $${result.cost?.total.toFixed(6)}`);
  // #endregion
});
