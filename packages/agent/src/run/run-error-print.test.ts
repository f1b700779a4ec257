import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Agent, AgentRunError } from '../index.js';
import { clientFor, emulate, weatherTool } from '../test-helpers.js';

const SECRET_RESULT = 'contents-of-a-private-file-'.repeat(40);

async function failedRun(): Promise<AgentRunError> {
  const emulator = await emulate({
    script: [
      { toolCalls: [{ name: 'get_weather', arguments: { city: SECRET_RESULT }, id: 'call_00_w' }] },
      { fault: { status: 401 } },
    ],
  });
  const error = await new Agent({ client: clientFor(emulator), tools: [weatherTool()] })
    .run('Weather?')
    .catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(AgentRunError);
  return error as AgentRunError;
}

describe('a printed AgentRunError is short', () => {
  it('util.inspect (an uncaught error, console.log) shows the message and a summary, not the history', async () => {
    const error = await failedRun();
    const printed = inspect(error);
    expect(printed).toContain('AgentRunError');
    expect(printed).toMatch(/\[result\]: finishReason 'error', 1 step\(s\), \d+ message\(s\)/);
    expect(printed).not.toContain(SECRET_RESULT);
    expect(printed.length).toBeLessThan(4_000);
  });

  it('JSON.stringify and Object.keys leave the history out; error.result still holds it', async () => {
    const error = await failedRun();
    expect(JSON.stringify(error)).not.toContain(SECRET_RESULT);
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({
      name: 'AgentRunError',
      result: expect.stringMatching(/error\.result/),
    });
    expect(Object.keys(error)).not.toContain('result');
    expect(JSON.stringify(error.result.messages)).toContain(SECRET_RESULT);
    expect(error.result.steps).toHaveLength(1);
  });
});
