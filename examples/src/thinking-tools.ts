/**
 * Thinking mode with tools over several steps. DeepSeek requires every earlier assistant turn's
 * reasoning_content to be sent back when a request has tools; the agent keeps it in the history,
 * and this example prints what each step sends.
 *   pnpm example thinking-tools
 */
import { Agent, AgentConfigError } from '@plumb/agent';
import type { RecordedRequest } from '@plumb/testing';
import { tool } from '@plumb/tools';
import { z } from 'zod';
import { connect } from './lib/connect.js';
import { run } from './lib/run.js';
import { bold, clip, dim } from './lib/terminal.js';

const PRICES_USD: Record<string, number> = { notebook: 4.5, pen: 1.2, stapler: 7.8 };
const RATES: Record<string, number> = { 'USD->EUR': 0.92, 'USD->GBP': 0.79 };

const getPrice = tool({
  name: 'get_price',
  description: 'Unit price of a stationery item, in USD.',
  parameters: z.object({ item: z.string().describe('notebook, pen or stapler') }),
  execute: ({ item }) => {
    const usd = PRICES_USD[item.toLowerCase()];
    if (usd === undefined)
      throw new Error(`Unknown item "${item}". Known: ${Object.keys(PRICES_USD).join(', ')}.`);
    return { item, usd };
  },
});

const convertCurrency = tool({
  name: 'convert_currency',
  description: 'Converts an amount between currencies at today’s rate.',
  parameters: z.object({ amount: z.number(), from: z.string(), to: z.string() }),
  execute: ({ amount, from, to }) => {
    const rate = RATES[`${from}->${to}`];
    if (rate === undefined) throw new Error(`No rate for ${from} to ${to}.`);
    return { amount: Math.round(amount * rate * 100) / 100, currency: to, rate };
  },
});

/** Emulator check: the earlier turns' reasoning comes back exactly as the model sent it. */
function expectReplayed(...reasonings: string[]) {
  return (request: RecordedRequest) => {
    const sent = request.body.messages.filter((m: { role: string }) => m.role === 'assistant');
    const replayed = sent.map((m: { reasoning_content?: string }) => m.reasoning_content);
    if (JSON.stringify(replayed) !== JSON.stringify(reasonings))
      throw new Error('reasoning_content not replayed');
  };
}

const REASONING = [
  'I need both unit prices before I can add anything up. I will ask for the notebook and the pen together.',
  'Notebook $4.50 and pen $1.20: 3 × 4.50 + 2 × 1.20 = 13.50 + 2.40 = $15.90. Now convert to EUR.',
  '$15.90 is €14.63 at 0.92. Done.',
];

run(async () => {
  const { client } = await connect({
    script: [
      {
        reasoning: REASONING[0],
        toolCalls: [
          { name: 'get_price', arguments: { item: 'notebook' } },
          { name: 'get_price', arguments: { item: 'pen' } },
        ],
      },
      {
        expect: expectReplayed(REASONING[0]!),
        reasoning: REASONING[1],
        toolCalls: [{ name: 'convert_currency', arguments: { amount: 15.9, from: 'USD', to: 'EUR' } }],
      },
      {
        expect: expectReplayed(REASONING[0]!, REASONING[1]!),
        reasoning: REASONING[2],
        content: '3 notebooks and 2 pens cost $15.90, which is €14.63.',
      },
    ],
  });

  // #region replay
  const agent = new Agent({
    client,
    model: 'deepseek-flash', // thinking mode is on by default
    reasoningEffort: 'high',
    instructions: 'Use the tools for prices and currency conversion.',
    tools: [getPrice, convertCurrency],
    hooks: {
      // The history about to be sent: every earlier assistant turn carries its reasoning_content.
      onStepStart: ({ stepIndex, messages }) => {
        const turns = messages.filter((message) => message.role === 'assistant');
        const withReasoning = turns.filter((turn) => typeof turn.reasoning_content === 'string');
        console.log(
          bold(`step ${stepIndex}`) +
            dim(
              ` sends ${turns.length} earlier assistant turn(s), ${withReasoning.length} with reasoning_content`,
            ),
        );
      },
      onStepEnd: (step) => {
        console.log(dim(`  thinking: ${clip(step.reasoning)}`));
        for (const call of step.toolCalls)
          console.log(`  ${call.name}(${call.rawArguments}) -> ${call.content}`);
      },
    },
  });

  const result = await agent.run('How much are 3 notebooks and 2 pens, in euros?');
  console.log(result.text);
  // #endregion

  // #region forced-tool-choice
  // DeepSeek rejects a forced tool call in thinking mode, so the agent refuses it up front...
  try {
    new Agent({ client, tools: [getPrice], toolChoice: 'required' });
  } catch (error) {
    if (error instanceof AgentConfigError) console.log(`\n${error.message}`);
  }
  // ...and accepts it with thinking off (it applies to the first step only).
  const forced = new Agent({ client, tools: [getPrice], toolChoice: 'required', thinking: false });
  console.log(`with thinking: false, toolChoice 'required' is accepted (${forced.tools.length} tool)`);
  // #endregion
});
