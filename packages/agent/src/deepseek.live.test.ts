/**
 * Live tests against the real DeepSeek API: the whole stack (core, tools, agent) on the rules
 * the emulator reproduces. Opt-in: vitest only includes *.live.test.ts when DEEPSEEK_API_KEY is
 * set (vitest.shared.ts), and CI unsets it. They spend a few cents and assert only what DeepSeek
 * guarantees (shapes, finish reasons, the replay rule not firing), never model wording.
 *
 *   DEEPSEEK_API_KEY=sk-... pnpm --filter @plumb/agent exec vitest run src/deepseek.live.test.ts
 */
import { DeepSeek } from '@plumb/core';
import { tool } from '@plumb/tools';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent } from './agent.js';

const hasKey = Boolean(process.env.DEEPSEEK_API_KEY);
const LIVE_TIMEOUT = 180_000;

describe.skipIf(!hasKey)('live: the real DeepSeek API (DEEPSEEK_API_KEY set)', () => {
  const client = new DeepSeek({ maxRetries: 2 });

  it(
    'answers a non-thinking chat completion with usage that splits cache hits and misses',
    async () => {
      const completion = await client.chat.completions.create({
        model: 'deepseek-flash',
        thinking: { type: 'disabled' },
        max_tokens: 32,
        messages: [{ role: 'user', content: 'Reply with the single word: pong' }],
      });
      const usage = completion.usage!;
      expect(completion.choices[0]!.message.content?.length).toBeGreaterThan(0);
      expect(completion.choices[0]!.message.reasoning_content).toBeUndefined();
      expect((usage.prompt_cache_hit_tokens ?? 0) + (usage.prompt_cache_miss_tokens ?? 0)).toBe(
        usage.prompt_tokens,
      );
    },
    LIVE_TIMEOUT,
  );

  it(
    'streams thinking mode: the whole reasoning_content is assembled apart from the answer',
    async () => {
      const stream = client.chat.completions.stream({
        model: 'deepseek-flash',
        max_tokens: 8192,
        messages: [{ role: 'user', content: 'Is 91 a prime number? Answer yes or no.' }],
      });
      let reasoningDeltas = '';
      for await (const chunk of stream) reasoningDeltas += chunk.choices[0]?.delta.reasoning_content ?? '';
      const completion = await stream.finalCompletion();
      expect(completion.choices[0]!.finish_reason).toBe('stop');
      expect(completion.choices[0]!.message.reasoning_content).toBe(reasoningDeltas);
      expect(reasoningDeltas.length).toBeGreaterThan(0);
      expect(completion.usage?.completion_tokens_details?.reasoning_tokens).toBeGreaterThan(0);
    },
    LIVE_TIMEOUT,
  );

  it(
    'runs a thinking-mode tool loop over several steps without tripping the replay rule',
    async () => {
      const secret = tool({
        name: 'get_secret_number',
        description: 'Returns the secret number. Always call it before answering a question about it.',
        parameters: z.object({}),
        execute: () => ({ secret: 4217 }),
      });
      const agent = new Agent({
        client,
        instructions: 'Use your tools when a question needs them. Answer in one short sentence.',
        tools: [secret],
        maxSteps: 5,
      });
      const first = await agent.run('What is the secret number? Call the tool, then tell me.');
      expect(first.finishReason).toBe('stop');
      expect(first.steps.flatMap((step) => step.toolCalls).length).toBeGreaterThan(0);
      // A second turn replays the first run's assistant messages (with their reasoning_content)
      // while tools are present: DeepSeek answers 400 if any reasoning was dropped.
      const second = await agent.run([
        ...first.messages,
        { role: 'user', content: 'And that number plus one? Use the tool again.' },
      ]);
      expect(second.finishReason).toBe('stop');
      expect(second.messages.length).toBeGreaterThan(first.messages.length + 1);
    },
    LIVE_TIMEOUT,
  );
});
