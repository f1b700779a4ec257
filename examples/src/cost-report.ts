/**
 * A cost and cache report of an agent run: tokens per step, how much of each prompt DeepSeek
 * served from its context cache, and the cost in USD and CNY (peak or off-peak price).
 *   pnpm example cost-report
 */
import { Agent } from '@plumb/agent';
import { costOf, type Usage } from '@plumb/core';
import { connect } from './lib/connect.js';
import { run } from './lib/run.js';
import { bold, count, dim, money, percent } from './lib/terminal.js';
import { getWeather } from './lib/weather.js';

// A long, stable system prompt: it starts every request, so later steps read it from the cache.
const INSTRUCTIONS = `You are a travel assistant for a small agency.
Rules:
- Use get_weather for every city the traveller mentions, one city per step, before answering.
- Temperatures are in degrees Celsius. Round to whole degrees.
- Recommend clothing in at most two short sentences per city.
- Never invent weather data; if a city has no station, say so and suggest a larger city nearby.
- Answer in plain text without headings, lists or emojis.`;

run(async () => {
  const { client } = await connect({
    script: [
      { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
      { toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }] },
      {
        content:
          'Paris is 18 °C with light rain: bring a light raincoat. Oslo is 9 °C and windy: pack a warm windproof jacket.',
      },
    ],
  });

  // #region budget
  const agent = new Agent({
    client,
    instructions: INSTRUCTIONS,
    tools: [getWeather],
    budget: { maxCost: 0.01, currency: 'USD' }, // the run stops (finishReason 'budget') once it cost $0.01
  });
  // #endregion
  const result = await agent.run('I am visiting Paris and then Oslo this week. What should I wear?');
  console.log(`${result.text}\n`);

  // #region report
  const row = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(6) : cell.padStart(10))).join(' ');
  console.log(bold(row(['step', 'prompt', 'cache hit', 'miss', 'output', 'reasoning', 'hit ratio', 'USD'])));
  for (const step of result.steps) {
    const usage = step.usage;
    console.log(
      row([
        String(step.index),
        count(usage.prompt_tokens),
        count(usage.prompt_cache_hit_tokens ?? 0),
        count(usage.prompt_cache_miss_tokens ?? 0),
        count(usage.completion_tokens),
        count(usage.completion_tokens_details?.reasoning_tokens ?? 0),
        percent(step.cacheHitRatio),
        money(step.cost?.total ?? 0, 'USD'),
      ]),
    );
  }

  const total = result.usage;
  const usd = result.cost; // the sum of the steps' costs, each priced when its step ended
  const cny = result.steps.reduce(
    (sum, step) => sum + costOf(step.usage, agent.model, { currency: 'CNY' }).total,
    0,
  );
  const noCache: Usage = {
    ...total,
    prompt_cache_hit_tokens: 0,
    prompt_cache_miss_tokens: total.prompt_tokens,
  };
  console.log(`\ntokens:          ${count(total.prompt_tokens)} in, ${count(total.completion_tokens)} out`);
  console.log(`cache hit ratio: ${percent(result.cacheHitRatio)} of prompt tokens`);
  console.log(
    `cost:            ${money(usd?.total ?? 0, 'USD')} / ${money(cny, 'CNY')} (${usd?.peak ? 'peak' : 'off-peak'} price)`,
  );
  console.log(`without cache:   ${money(costOf(noCache, agent.model).total, 'USD')}`);
  // #endregion
  console.log(
    dim(
      '\nPrices: DeepSeek’s published table (peak hours cost twice as much); see docs/guides/cost-and-caching.md',
    ),
  );
});
