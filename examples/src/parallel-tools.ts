/**
 * Parallel tool calls: the model asks for several tools in one turn; the agent runs them at the
 * same time (up to `toolConcurrency`) and answers them in call order.
 *   pnpm example parallel-tools
 */
import { Agent } from '@plumb/agent';
import { connect } from './lib/connect.js';
import { run } from './lib/run.js';
import { getWeather } from './lib/weather.js';

run(async () => {
  const { client } = await connect({
    script: [
      {
        reasoning: 'Three cities: I can ask for all three at once.',
        toolCalls: [
          { name: 'get_weather', arguments: { city: 'Lisbon' } },
          { name: 'get_weather', arguments: { city: 'Oslo' } },
          { name: 'get_weather', arguments: { city: 'Tokyo' } },
        ],
      },
      {
        reasoning: 'Lisbon 24 °C, Tokyo 21 °C, Oslo 9 °C.',
        content: 'Lisbon is the warmest (24 °C, sunny), then Tokyo (21 °C), then Oslo (9 °C).',
      },
    ],
  });

  // #region parallel
  const agent = new Agent({
    client,
    instructions: 'Use get_weather. When you need several cities, call the tool for all of them at once.',
    tools: [getWeather],
    toolConcurrency: 4, // at most 4 tool calls of one turn run at the same time (default 8)
  });

  const started = performance.now();
  const elapsed = () => `${Math.round(performance.now() - started)} ms`.padStart(7);
  const stream = agent.stream('Rank Lisbon, Oslo and Tokyo from warmest to coldest right now.');
  for await (const event of stream) {
    if (event.type === 'tool-call') console.log(`${elapsed()}  call   ${event.name} ${event.rawArguments}`);
    if (event.type === 'tool-result') console.log(`${elapsed()}  result ${event.content}`);
  }
  const result = await stream.result;

  // The history answers the calls in the order the model made them, whatever order they finished in.
  const calls = new Map(
    result.steps.flatMap((step) => step.toolCalls).map((call) => [call.id, call.rawArguments]),
  );
  const answered = result.messages.flatMap((message) =>
    message.role === 'tool' ? [calls.get(message.tool_call_id)] : [],
  );
  console.log(`history order: ${answered.join(' ')}`);
  console.log(result.text);
  // #endregion
});
