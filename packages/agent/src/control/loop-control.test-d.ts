import { describe, expectTypeOf, it } from 'vitest';
import {
  Agent,
  type CacheBreak,
  hasToolCall,
  type PrepareStep,
  type StopCondition,
  stepCountIs,
  type ToolCallSteering,
} from '../index.js';

describe('loop control types', () => {
  it('stopWhen takes a condition or an array; prepareStep returns messages, settings or nothing', () => {
    expectTypeOf(stepCountIs(3)).toEqualTypeOf<StopCondition>();
    new Agent({ stopWhen: [stepCountIs(3), hasToolCall('a'), async ({ steps }) => steps.length > 1] });
    const prepare: PrepareStep = ({ stepIndex, messages }) =>
      stepIndex === 0 ? messages : { activeTools: ['a'], model: 'deepseek-v4-pro', thinking: false };
    new Agent({
      prepareStep: prepare,
      instructions: async ({ runId, stepIndex }) => `${runId} ${stepIndex}`,
    });
    // @ts-expect-error: reasoningEffort must be one DeepSeek accepts
    const bad: PrepareStep = () => ({ reasoningEffort: 'hgh' });
    expectTypeOf(bad).toEqualTypeOf<PrepareStep>();
  });

  it('onToolCall decides run, skip or reject; onStepFinish is not an option', () => {
    const steer: ToolCallSteering = ({ name }) =>
      name === 'a' ? { action: 'skip', result: 1 } : { action: 'reject', reason: 'no' };
    new Agent({ onToolCall: steer });
    // @ts-expect-error: the per-step callback is hooks.onStepEnd
    new Agent({ onStepFinish: () => {} });
  });

  it('a step may carry a cache break', async () => {
    const result = await new Agent().run('Hello', { activeTools: [] });
    expectTypeOf(result.steps[0]?.cacheBreak).toEqualTypeOf<CacheBreak | undefined>();
  });
});
