/**
 * An agent used as a tool by another: the trip planner delegates weather questions to the
 * weather agent. The sub-run's usage and cost are added to the planner's totals.
 *   pnpm example agent-as-tool
 */
import { Agent } from '@plumb/agent';
import { connect } from './lib/connect.js';
import { run } from './lib/run.js';
import { createWeatherAgent } from './lib/weather.js';

run(async () => {
  const { client } = await connect({
    // One emulator answers both agents, in the order their requests arrive.
    script: [
      { toolCalls: [{ name: 'weather_expert', arguments: { input: 'What is the weather in Lisbon now?' } }] },
      { toolCalls: [{ name: 'get_weather', arguments: { city: 'Lisbon' } }] }, // the weather agent
      { content: 'Lisbon: 24 °C and sunny.' }, // the weather agent's answer = the tool result
      { content: 'Pack light: shorts, t-shirts, sunglasses and sunscreen. Lisbon is 24 °C and sunny.' },
    ],
  });

  // #region as-tool
  const weatherAgent = createWeatherAgent(client);

  const planner = new Agent({
    client,
    name: 'trip_planner',
    instructions: 'You write short packing lists. Ask weather_expert about the weather at the destination.',
    tools: [
      weatherAgent.asTool({
        name: 'weather_expert',
        description: 'Answers questions about current weather anywhere. Input: the question.',
      }),
    ],
  });

  const result = await planner.run('I am flying to Lisbon tonight. What should I pack?');
  console.log(result.text);

  const delegation = result.steps
    .flatMap((step) => step.toolCalls)
    .find((call) => call.name === 'weather_expert');
  console.log(`weather_expert answered: ${delegation?.content}`);
  console.log(`weather_expert used ${delegation?.usage?.total_tokens} tokens`);
  console.log(`the whole run used ${result.usage.total_tokens} tokens, $${result.cost?.total.toFixed(6)}`);
  // #endregion
});
