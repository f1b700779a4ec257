/**
 * The flagship demo: a tool agent that streams its steps (reasoning, tool calls, results, the
 * answer) and ends with token usage, cost and the cache-hit ratio.
 *   pnpm demo
 */
import { Agent } from '@plumb/agent';
import { costOf } from '@plumb/core';
import { mathPack } from '@plumb/packs/math';
import { connect } from './lib/connect.js';
import { run } from './lib/run.js';
import { bold, clip, count, cyan, dim, green, magenta, money, percent, red, write } from './lib/terminal.js';
import { getWeather } from './lib/weather.js';

const QUESTION = 'Which is warmer right now, Paris or Lisbon, and by how many degrees Fahrenheit?';

run(async () => {
  const { client, offline } = await connect({
    script: [
      {
        reasoning:
          'I need the current temperature in both cities. The two lookups are independent, so I will request them together.',
        toolCalls: [
          { name: 'get_weather', arguments: { city: 'Paris' } },
          { name: 'get_weather', arguments: { city: 'Lisbon' } },
        ],
      },
      {
        reasoning:
          'Paris is 18 °C and Lisbon 24 °C, a difference of 6 °C. A Celsius difference converts to Fahrenheit by multiplying by 9/5; I will use the calculator rather than do it in my head.',
        toolCalls: [{ name: 'calculate', arguments: { expression: '(24 - 18) * 9 / 5' } }],
      },
      {
        reasoning: 'The calculator says 10.8. Lisbon is warmer by 6 °C, which is 10.8 °F.',
        content:
          'Lisbon is warmer: 24 °C and sunny, against 18 °C with light rain in Paris. The difference is 6 °C, which is 10.8 °F.',
      },
    ],
  });

  const rule = (label: string) => {
    const width = Math.min(process.stdout.columns ?? 80, 80);
    return dim(`── ${label} ${'─'.repeat(Math.max(0, width - label.length - 4))}`);
  };

  const agent = new Agent({
    client,
    model: 'deepseek-flash',
    instructions: 'You answer with facts from your tools. Use calculate for every computation.',
    tools: [getWeather, mathPack()],
  });

  const tools = agent.tools.map((tool) => tool.name).join(', ');
  console.log(`\n${bold('plumb')} ${dim('·')} a DeepSeek tool agent, streamed`);
  console.log(
    `${dim('model')} ${agent.model} ${dim('· tools')} ${tools} ${dim('· mode')} ${offline ? 'offline' : 'live'}`,
  );
  console.log(`\n${bold(cyan('you'))}  ${QUESTION}`);

  // #region events
  const stream = agent.stream(QUESTION);
  let section: 'reasoning' | 'text' | undefined;
  for await (const event of stream) {
    switch (event.type) {
      case 'step-start':
        console.log(`\n${rule(`step ${event.stepIndex + 1}`)}`);
        section = undefined;
        break;
      case 'reasoning-delta':
        if (section !== 'reasoning') write(dim('thinking  '));
        section = 'reasoning';
        write(dim(event.text));
        break;
      case 'text-delta':
        if (section !== 'text') write(`${section ? '\n' : ''}${bold(green('answer'))}  `);
        section = 'text';
        write(event.text);
        break;
      case 'tool-call':
        if (section) write('\n');
        section = undefined;
        console.log(`${magenta('→')} ${bold(event.name)} ${dim(event.rawArguments)}`);
        break;
      case 'tool-result':
        console.log(`${event.error ? red('✗') : green('←')} ${bold(event.name)} ${clip(event.content, 90)}`);
        break;
      case 'step-end':
        if (section) write('\n');
        section = undefined;
        break;
    }
  }
  const result = await stream.result;
  // #endregion

  // #region summary
  const usage = result.usage;
  const calls = result.steps.reduce((sum, step) => sum + step.toolCalls.length, 0);
  const cny = result.steps.reduce(
    (sum, step) => sum + costOf(step.usage, agent.model, { currency: 'CNY' }).total,
    0,
  );
  console.log(`\n${rule('usage')}`);
  console.log(
    `${dim('run    ')} ${plural(result.steps.length, 'step')} · ${plural(calls, 'tool call')} · finish: ${result.finishReason}`,
  );
  console.log(
    `${dim('tokens ')} ${count(usage.prompt_tokens)} in (${percent(result.cacheHitRatio)} cache hit) · ` +
      `${count(usage.completion_tokens)} out (${count(usage.completion_tokens_details?.reasoning_tokens ?? 0)} reasoning)`,
  );
  console.log(
    `${dim('cost   ')} ${money(result.cost?.total ?? 0, 'USD')} · ${money(cny, 'CNY')} · ${result.cost?.peak ? 'peak' : 'off-peak'} price`,
  );
  // #endregion
});

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
