import { tool } from '@plumb/tools';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent } from '../index.js';
import { clientFor, emulate, weatherTool } from '../test-helpers.js';
import { scriptedModel } from '../testing/index.js';

describe('finish reasons that cut a turn', () => {
  it.each(['length', 'content_filter', 'insufficient_system_resource', 'aborted'] as const)(
    "'%s' ends the run with that reason, runs no tool of the cut turn and keeps the history valid",
    async (reason) => {
      // Loop logic only: a scripted model (the next test sends the cut history to the emulator).
      const model = scriptedModel([
        {
          content: 'Let me check',
          reasoning: 'The user wants the weather.',
          toolCalls: [{ name: 'get_weather', arguments: '{"city": "Par' }],
          finishReason: reason,
        },
      ]);
      const calls: string[] = [];
      const agent = new Agent({ model, tools: [weatherTool(calls)] });
      const result = await agent.run('Weather?');

      expect(result.finishReason).toBe(reason);
      expect(calls).toEqual([]);
      expect(result.text).toBe('Let me check');
      expect(result.steps).toHaveLength(1);
      expect(result.steps[0]?.finishReason).toBe(reason);
      expect(result.steps[0]?.toolCalls).toEqual([]);
      const last = result.messages.at(-1);
      expect(last).toEqual({
        role: 'assistant',
        content: 'Let me check',
        reasoning_content: 'The user wants the weather.',
      });
      expect(model.requests).toHaveLength(1);
    },
  );

  it('the history after a cut turn can be sent again (the emulator accepts the next run)', async () => {
    const emulator = await emulate({
      script: [
        {
          content: 'Partial',
          toolCalls: [{ name: 'get_weather', arguments: '{"ci' }],
          finishReason: 'length',
        },
        { content: 'Complete answer' },
      ],
    });
    const agent = new Agent({ client: clientFor(emulator), tools: [weatherTool()] });
    const first = await agent.run('Weather?');
    const second = await agent.run([...first.messages, { role: 'user', content: 'Please finish.' }]);
    expect(second.finishReason).toBe('stop');
    expect(second.text).toBe('Complete answer');
    emulator.assertDone();
  });

  it('a stop turn ends the run even when a tool returned earlier in the same run', async () => {
    const model = scriptedModel([
      { toolCalls: [{ name: 'echo', arguments: { text: 'x' } }] },
      { content: 'fin', finishReason: 'stop' },
    ]);
    const echo = tool({
      name: 'echo',
      description: 'Echo',
      parameters: z.object({ text: z.string() }),
      execute: ({ text }) => text,
    });
    const result = await new Agent({ model, tools: [echo] }).run('go');
    expect(result.finishReason).toBe('stop');
    expect(result.steps.map((step) => step.finishReason)).toEqual(['tool_calls', 'stop']);
  });
});
