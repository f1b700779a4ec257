import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { Agent, AgentConfigError, type AgentResult, StructuredOutputError } from '../index.js';
import { chatRequests, clientFor, emulate, weatherTool } from '../test-helpers.js';

const Weather = z.object({ city: z.string(), celsius: z.number() });

describe('structured output (output: zodSchema)', () => {
  it('uses JSON mode with the schema in the system prompt, and re-asks once after an invalid answer', async () => {
    const emulator = await emulate({
      script: [
        { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
        { content: '{"city":"Paris","celsius":"warm"}' },
        {
          expect: (request) => {
            const last = request.body.messages.at(-1);
            expect(last.role).toBe('user');
            expect(last.content).toMatch(/celsius/);
          },
          content: '{"city":"Paris","celsius":21}',
        },
      ],
    });
    const agent = new Agent({
      client: clientFor(emulator),
      instructions: 'Weather bot.',
      tools: [weatherTool()],
      output: Weather,
    });
    const result = await agent.run('Paris?');

    expect(result.finishReason).toBe('stop');
    expect(result.output).toEqual({ city: 'Paris', celsius: 21 });
    expectTypeOf(result.output).toEqualTypeOf<{ city: string; celsius: number } | undefined>();
    expect(result.steps[1]?.outputError).toMatch(/celsius/);
    const first = chatRequests(emulator)[0];
    expect(first?.body.response_format).toEqual({ type: 'json_object' });
    const system = first?.body.messages[0];
    expect(system.role).toBe('system');
    expect(system.content).toMatch(/^Weather bot\./);
    expect(system.content).toMatch(/json/);
    expect(system.content).toContain('"celsius":{"type":"number"}');
    emulator.assertDone();
  });

  it('fails with StructuredOutputError (holding the partial result) after maxOutputRetries', async () => {
    const emulator = await emulate({ script: [{ content: 'not json' }, { content: '{"city": 1}' }] });
    const agent = new Agent({ client: clientFor(emulator), output: Weather, maxOutputRetries: 1 });
    const error = await agent.run('Paris?').then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(StructuredOutputError);
    const failure = error as StructuredOutputError;
    expect(failure.text).toBe('{"city": 1}');
    expect(failure.issues).toMatch(/city/);
    expect(failure.result.steps).toHaveLength(2);
    expect(failure.result.messages.at(-1)).toMatchObject({ role: 'assistant', content: '{"city": 1}' });
    emulator.assertDone();
  });

  it('accepts the first valid answer without a retry', async () => {
    const emulator = await emulate({ script: [{ content: '{"city":"Oslo","celsius":-3}' }] });
    const result = await new Agent({ client: clientFor(emulator), output: Weather }).run('Oslo?');
    expect(result.output).toEqual({ city: 'Oslo', celsius: -3 });
    expect(chatRequests(emulator)[0]?.body.messages[0].content).toMatch(/json object/);
  });

  it('rejects a schema JSON cannot express with an AgentConfigError', () => {
    expect(() => new Agent({ output: z.object({ when: z.date() }) })).toThrow(AgentConfigError);
  });

  it('types result.output from the schema, and as undefined without one', async () => {
    const emulator = await emulate({ script: [{ content: 'plain' }] });
    const plain = await new Agent({ client: clientFor(emulator) }).run('Hi');
    expectTypeOf(plain).toEqualTypeOf<AgentResult<undefined>>();
    expectTypeOf(plain.output).toEqualTypeOf<undefined>();
    expect(plain.output).toBeUndefined();
  });
});
