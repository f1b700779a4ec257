import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { Agent, type AgentResult, type LanguageModelUsage, run } from '../index.js';

describe('AgentResult types', () => {
  it('with `output`, a result that finished with stop has the output typed as present', async () => {
    const agent = new Agent({ output: z.object({ city: z.string(), celsius: z.number() }) });
    const result = await agent.run('Weather?');
    if (result.finishReason === 'stop') {
      expectTypeOf(result.output).toEqualTypeOf<{ city: string; celsius: number }>();
    } else {
      expectTypeOf(result.output).toEqualTypeOf<{ city: string; celsius: number } | undefined>();
    }
    const viaRun = await run(agent, 'Weather?');
    if (viaRun.finishReason === 'stop') expectTypeOf(viaRun.output.celsius).toEqualTypeOf<number>();
  });

  it('without `output`, output is undefined', async () => {
    const result = await new Agent().run('Hello');
    expectTypeOf(result.output).toEqualTypeOf<undefined>();
    expectTypeOf(result).toEqualTypeOf<AgentResult<undefined>>();
  });

  it('totalUsage has the AI SDK names', async () => {
    const result = await new Agent().run('Hello');
    expectTypeOf(result.totalUsage).toEqualTypeOf<LanguageModelUsage>();
    expectTypeOf(result.totalUsage.inputTokens).toEqualTypeOf<number>();
  });
});
