/**
 * Unit tests of agent logic on a scripted model: no HTTP, no emulator. docs/guides/testing.md
 * quotes this file.
 */
import { Agent } from '@plumb/agent';
import { scriptedModel } from '@plumb/agent/testing';
import { describe, expect, it } from 'vitest';
import { getWeather } from './lib/weather.js';

describe('the weather agent on a scripted model', () => {
  // #region scripted-model
  it('runs the tool the model asks for and feeds the result back', async () => {
    const model = scriptedModel([
      { toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }] },
      { content: 'It is 9 °C and windy in Oslo.' },
    ]);
    const agent = new Agent({ model, tools: [getWeather] });
    const result = await agent.run('Weather in Oslo?');

    expect(result.text).toBe('It is 9 °C and windy in Oslo.');
    expect(result.steps[0]?.toolCalls[0]).toMatchObject({ name: 'get_weather', status: 'ok' });
    // What the model was asked: the second turn saw the tool result.
    expect(model.requests[1]?.messages.at(-1)).toMatchObject({
      role: 'tool',
      content: expect.stringContaining('windy'),
    });
    model.assertDone(); // every scripted turn was used
  });
  // #endregion
});
