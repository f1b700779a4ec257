import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../emulator.js';
import { chat, errorOf } from '../test-helpers.js';
import type { Emulator, EmulatorOptions } from '../types.js';

let emulator: Emulator;
async function start(options: EmulatorOptions) {
  emulator = await startEmulator(options);
  return emulator;
}
afterEach(() => emulator?.close());

describe('scripts', () => {
  it('serves turns in order and assertDone passes once all are used', async () => {
    await start({ script: [{ content: 'one' }, { content: 'two' }] });
    expect((await chat(emulator)).json.choices[0].message.content).toBe('one');
    expect(() => emulator.assertDone()).toThrow(
      /1 of 2 scripted turn\(s\) were not used \(next unused: turn 1, content "two"\)/,
    );
    expect((await chat(emulator)).json.choices[0].message.content).toBe('two');
    expect(emulator.turnsServed()).toBe(2);
    expect(() => emulator.assertDone()).not.toThrow();
  });

  it('answers 400 emulator_script_exhausted on an extra request and records the failure', async () => {
    await start({ script: [{ content: 'only' }] });
    await chat(emulator);
    const reply = await chat(emulator);
    expect(reply.status).toBe(400);
    expect(errorOf(reply).type).toBe('emulator_script_exhausted');
    expect(errorOf(reply).message).toMatch(/the script has 1 turn\(s\) and all were used, but request #1/);
    expect(emulator.failures).toHaveLength(1);
    expect(() => emulator.assertDone()).toThrow(/all were used/);
  });

  it('runs expect on the request: a throw answers 400 emulator_assertion_error and is recorded', async () => {
    await start({
      script: [
        { toolCalls: [{ name: 'lookup', arguments: {} }] },
        {
          expect: (request) => {
            const last = request.body.messages.at(-1);
            if (last.role !== 'tool') throw new Error(`expected a tool result last, got role ${last.role}`);
          },
          content: 'done',
        },
      ],
    });
    await chat(emulator);
    const reply = await chat(emulator, { messages: [{ role: 'user', content: 'no tool result here' }] });
    expect(reply.status).toBe(400);
    expect(errorOf(reply)).toMatchObject({
      type: 'emulator_assertion_error',
      message: expect.stringContaining(
        'turn 1 expectation failed for request #1 (POST /chat/completions): expected a tool result last, got role user',
      ),
    });
    expect(emulator.failures[0]?.message).toContain('expected a tool result last');
    expect(() => emulator.assertDone()).toThrow(/expectation failed/);
  });

  it('calls a script function with the request and a context', async () => {
    const seen: Array<{ turnIndex: number; thinking: boolean; count: number }> = [];
    await start({
      script: (request, context) => {
        seen.push({
          turnIndex: context.turnIndex,
          thinking: context.thinking,
          count: context.requests.length,
        });
        return { content: `echo ${request.body.messages[0].content}` };
      },
    });
    expect(
      (await chat(emulator, { messages: [{ role: 'user', content: 'a' }] })).json.choices[0].message.content,
    ).toBe('echo a');
    await chat(emulator, { thinking: { type: 'disabled' } });
    expect(seen).toEqual([
      { turnIndex: 0, thinking: true, count: 1 },
      { turnIndex: 1, thinking: false, count: 2 },
    ]);
  });

  it('turns a throwing script function into a 400 emulator_script_error', async () => {
    await start({
      script: async () => {
        throw new Error('no answer for this');
      },
    });
    const reply = await chat(emulator);
    expect(errorOf(reply)).toMatchObject({
      type: 'emulator_script_error',
      message: expect.stringContaining('no answer for this'),
    });
    expect(emulator.failures).toHaveLength(1);
  });

  it('does not consume a turn for a request the API rejects', async () => {
    await start({ script: [{ content: 'kept' }] });
    expect((await chat(emulator, { model: 'nope' })).status).toBe(400);
    expect((await chat(emulator)).json.choices[0].message.content).toBe('kept');
  });

  it('swaps scripts with setScript and forgets everything with reset', async () => {
    await start({ script: [{ content: 'first' }] });
    await chat(emulator);
    emulator.setScript([{ content: 'second' }]);
    expect((await chat(emulator)).json.choices[0].message.content).toBe('second');
    emulator.reset();
    expect(emulator.requests).toHaveLength(0);
    expect(emulator.turnsServed()).toBe(0);
    expect((await chat(emulator)).json.choices[0].message.content).toBe('second');
  });
});
