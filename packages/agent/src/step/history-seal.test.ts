import { type ChatMessage, isDeepFrozen } from '@plumb/core';
import { describe, expect, it } from 'vitest';
import { Agent } from '../index.js';
import { chatRequests, clientFor, emulate, rawMessages, weatherTool } from '../test-helpers.js';

describe('the history is sealed before each request', () => {
  it('every message of the history is deeply frozen; the caller’s own messages are never frozen or changed', async () => {
    const emulator = await emulate({
      script: [
        { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
        { toolCalls: [{ name: 'get_weather', arguments: { city: 'Rome' } }] },
        { content: 'done' },
      ],
    });
    const input: ChatMessage[] = [
      { role: 'user', content: 'Hello' },
      { role: 'assistant', content: 'Hi', reasoning_content: '' },
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Rome?' }] },
    ];
    const copy = structuredClone(input);
    const agent = new Agent({
      client: clientFor(emulator),
      tools: [weatherTool()],
      instructions: 'Be brief.',
    });
    const result = await agent.run(input);
    expect(result.finishReason).toBe('stop');
    for (const message of input) expect(Object.isFrozen(message)).toBe(false);
    expect(input).toEqual(copy);
    expect(result.messages.every((message) => isDeepFrozen(message))).toBe(true);
    expect(() => {
      (result.messages[1] as { content: unknown }).content = 'changed';
    }).toThrow(TypeError);
  });

  it('requests stay byte-stable: each one’s messages extend the previous one’s, byte for byte', async () => {
    const emulator = await emulate({
      script: [
        { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
        { toolCalls: [{ name: 'get_weather', arguments: { city: 'Rome' } }] },
        { content: 'done' },
      ],
    });
    const agent = new Agent({ client: clientFor(emulator), tools: [weatherTool()] });
    await agent.run([{ role: 'user', content: 'Weather \ud83d in Paris' }]);
    const bodies = chatRequests(emulator).map(rawMessages);
    expect(bodies).toHaveLength(3);
    for (let i = 1; i < bodies.length; i++) {
      expect(bodies[i]!.startsWith(bodies[i - 1]!.slice(0, -1))).toBe(true);
    }
    // A lone surrogate of the input is sent as U+FFFD (well-formed JSON), on every request.
    for (const body of bodies) expect(body).toContain('Weather \ufffd in Paris');
  });
});
