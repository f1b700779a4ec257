/**
 * A tool agent: the model calls get_weather, the agent runs it, sends the result back and
 * the model answers.
 *   pnpm example weather-agent
 */
import { connect } from './lib/connect.js';
import { run } from './lib/run.js';
import { createWeatherAgent } from './lib/weather.js';

run(async () => {
  const { client } = await connect({
    script: [
      {
        reasoning: 'The user wants the weather in Paris. I will call get_weather.',
        toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }],
      },
      {
        // The emulator checks that the tool result reached the model.
        expect: (request) => {
          const last = request.body.messages.at(-1);
          if (last?.role !== 'tool' || !last.content.includes('light rain'))
            throw new Error('no tool result');
        },
        reasoning: 'get_weather says 18 °C and light rain.',
        content: 'It is 18 °C with light rain in Paris: take an umbrella.',
      },
    ],
  });

  // #region run
  const agent = createWeatherAgent(client);
  const result = await agent.run('Do I need an umbrella in Paris today?', {
    signal: AbortSignal.timeout(120_000), // gives up after 2 minutes: finishReason 'aborted'
  });

  console.log(result.text);
  for (const step of result.steps) {
    for (const call of step.toolCalls) {
      console.log(`step ${step.index}: ${call.name}(${call.rawArguments}) -> ${call.content}`);
    }
  }
  console.log(`finish reason: ${result.finishReason}, steps: ${result.steps.length}`);
  console.log(`tokens: ${result.usage.total_tokens}, cost: $${result.cost?.total.toFixed(6)}`);
  // #endregion
});
