import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../emulator.js';
import { chat, chunksOf } from '../test-helpers.js';
import type { Emulator } from '../types.js';

let emulator: Emulator;
afterEach(() => emulator?.close());

describe('turn.leakToolCalls', () => {
  it('writes the calls into content as DSML markup, with finish_reason stop and no tool_calls', async () => {
    emulator = await startEmulator({
      script: [
        { leakToolCalls: true, toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris', days: 2 } }] },
        { leakToolCalls: 'ascii', toolCalls: [{ name: 'ping', arguments: {} }] },
      ],
    });
    const tools = [
      { type: 'function', function: { name: 'get_weather' } },
      { type: 'function', function: { name: 'ping' } },
    ];
    const first = await chat(emulator, { tools, thinking: { type: 'disabled' } });
    const message = first.json.choices[0].message;
    expect(first.json.choices[0].finish_reason).toBe('stop');
    expect(message.tool_calls).toBeUndefined();
    expect(message.content).toBe(
      '<｜DSML｜tool_calls>\n<｜DSML｜invoke name="get_weather">\n' +
        '<｜DSML｜parameter name="city" string="true">Paris</｜DSML｜parameter>\n' +
        '<｜DSML｜parameter name="days" string="false">2</｜DSML｜parameter>\n' +
        '</｜DSML｜invoke>\n</｜DSML｜tool_calls>',
    );
    const second = await chat(emulator, { tools, thinking: { type: 'disabled' }, stream: true });
    const streamed = chunksOf(second.text)
      .map((chunk) => chunk.choices[0]?.delta?.content ?? '')
      .join('');
    expect(streamed).toBe(
      '<|DSML|tool_calls>\n<|DSML|invoke name="ping">\n</|DSML|invoke>\n</|DSML|tool_calls>',
    );
    expect(second.text).not.toContain('"tool_calls":[');
  });
});
