import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../emulator.js';
import { errorOf, send } from '../test-helpers.js';
import type { Emulator } from '../types.js';

let emulator: Emulator;
afterEach(() => emulator?.close());

const responses = (body: Record<string, unknown>) =>
  send(emulator, '/responses', { model: 'deepseek-flash', ...body });

/** The `data:` objects of a Responses stream, with their `event:` names. */
function events(text: string): Array<{ event: string; data: Record<string, any> }> {
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((block) => {
      const lines = block.split('\n');
      return {
        event: lines.find((line) => line.startsWith('event: '))!.slice(7),
        data: JSON.parse(lines.find((line) => line.startsWith('data: '))!.slice(6)),
      };
    });
}

describe('POST /responses', () => {
  it('answers a stateless response object: reasoning item, message, usage with cached and reasoning tokens', async () => {
    emulator = await startEmulator({ script: [{ content: 'Hello.', reasoning: 'Greet back.' }] });
    const reply = await responses({ input: 'Hi', instructions: 'Be brief.', store: true });
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({
      object: 'response',
      status: 'completed',
      model: 'deepseek-flash',
      store: false,
      instructions: 'Be brief.',
      output: [
        { type: 'reasoning', content: [{ type: 'reasoning_text', text: 'Greet back.' }] },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hello.' }] },
      ],
      usage: {
        input_tokens_details: { cached_tokens: 0 },
        output_tokens_details: { reasoning_tokens: expect.any(Number) },
      },
    });
    expect(reply.json.id).toMatch(/^resp_/);
    // The system message came from `instructions`.
    expect(emulator.requests[0]!.body.instructions).toBe('Be brief.');
  });

  it('streams semantic events with increasing sequence numbers, ending with response.completed and no [DONE]', async () => {
    emulator = await startEmulator({
      script: [{ toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] }],
    });
    const reply = await responses({
      input: 'Weather?',
      stream: true,
      tools: [{ type: 'function', name: 'get_weather', parameters: { type: 'object', properties: {} } }],
    });
    expect(reply.headers.get('content-type')).toContain('text/event-stream');
    expect(reply.text).not.toContain('[DONE]');
    const list = events(reply.text);
    expect(list.map((item) => item.data.sequence_number)).toEqual(list.map((_, index) => index));
    expect(list.every((item) => item.event === item.data.type)).toBe(true);
    expect(list[0]!.event).toBe('response.created');
    expect(list.at(-1)!.event).toBe('response.completed');
    const args = list
      .filter((item) => item.event === 'response.function_call_arguments.delta')
      .map((item) => item.data.delta)
      .join('');
    expect(args).toBe('{"city": "Paris"}');
    expect(list.at(-1)!.data.response.output.at(-1)).toMatchObject({
      type: 'function_call',
      name: 'get_weather',
    });
  });

  it('ends a cut-off answer with response.incomplete (max_output_tokens)', async () => {
    emulator = await startEmulator({ script: [{ content: 'word '.repeat(200) }] });
    const reply = await responses({ input: 'Talk', max_output_tokens: 5, reasoning: { effort: 'none' } });
    expect(reply.json).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
    });
  });

  it("applies DeepSeek's rules with its texts, and takes developer messages", async () => {
    emulator = await startEmulator();
    expect(errorOf(await responses({ model: 'gpt-5.5', input: 'Hi' })).message).toBe(
      'The supported API model names are deepseek-v4-pro or deepseek-flash, but you passed gpt-5.5.',
    );
    const forced = await responses({
      input: 'Hi',
      tools: [{ type: 'function', name: 'f', parameters: { type: 'object', properties: {} } }],
      tool_choice: 'required',
    });
    expect(errorOf(forced).message).toBe('Thinking mode does not support this tool_choice');
    expect(
      (
        await responses({
          input: 'Hi',
          tool_choice: 'required',
          reasoning: { effort: 'none' },
          tools: [{ type: 'function', name: 'f' }],
        })
      ).status,
    ).toBe(200);
    expect(errorOf(await responses({})).message).toContain("'input'");
    const developer = await responses({
      input: [
        { role: 'developer', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
    });
    expect(developer.status).toBe(200);
    const image = await responses({
      model: 'deepseek-v4-pro',
      input: [{ role: 'user', content: [{ type: 'input_image', image_url: 'https://example.com/a.png' }] }],
    });
    expect(errorOf(image).message).toBe('This model does not support image');
  });
});
