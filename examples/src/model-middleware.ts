/**
 * The model seam: the agent loop asks a model for each turn, and middleware wraps that model. Here
 * a log line per turn, a cache that answers a repeated conversation without a request, and a cap
 * on every turn's output, around the DeepSeek model.
 *   pnpm example model-middleware
 */
import { Agent, deepseekModel, type ModelTurn, wrapModel } from '@plumb/agent';
import { connect } from './lib/connect.js';
import { run } from './lib/run.js';
import { getWeather } from './lib/weather.js';

run(async () => {
  // Offline, the emulator has two turns only: the second run must come from the cache.
  const { client } = await connect({
    script: [
      {
        reasoning: 'The user asks about Oslo. I will call get_weather.',
        toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }],
      },
      { reasoning: 'get_weather says 9 °C and windy.', content: 'Oslo: 9 °C and windy. Bring a jacket.' },
    ],
  });

  // #region middleware
  const cache = new Map<string, ModelTurn>();
  let hits = 0;
  const model = wrapModel(deepseekModel('deepseek-flash', { client }), [
    {
      // Outermost: logs every turn, cached or not.
      wrapTurn: async (request, next) => {
        const turn = await next(request);
        console.log(`step ${request.stepIndex}: ${turn.finishReason}, ${turn.usage?.total_tokens} tokens`);
        return turn;
      },
    },
    {
      // A cache keyed by the whole request: the same conversation is answered without a request.
      wrapTurn: async (request, next) => {
        const key = JSON.stringify([request.messages, request.tools, request.maxTokens]);
        const cached = cache.get(key);
        if (cached !== undefined) {
          hits++;
          return cached;
        }
        const turn = await next(request);
        cache.set(key, turn);
        return turn;
      },
    },
    {
      // Innermost: changes the request the DeepSeek model sends.
      transformRequest: (request) => ({ ...request, maxTokens: 4096 }),
    },
  ]);
  const agent = new Agent({ model, tools: [getWeather] });
  // #endregion

  const question = 'What should I wear in Oslo today?';
  const first = await agent.run(question);
  console.log(`first run: ${first.text}`);
  const second = await agent.run(question);
  console.log(`second run: ${second.text}`);
  console.log(`cache hits: ${hits} (the second run sent no request)`);
});
