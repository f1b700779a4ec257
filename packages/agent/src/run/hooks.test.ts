import { DeepSeek } from '@plumb/core';
import { createLogger } from '@plumb/core/internal';
import { describe, expect, it } from 'vitest';
import { Agent, type AgentHooks } from '../index.js';
import { clientFor, emulate, weatherTool } from '../test-helpers.js';

const SCRIPT = [
  {
    toolCalls: [
      { name: 'get_weather', arguments: { city: 'Paris' } },
      { name: 'nope', arguments: {} },
    ],
  },
  { content: 'Sunny' },
];

describe('hooks and logs', () => {
  it('calls the step and tool hooks in order', async () => {
    const emulator = await emulate({ script: SCRIPT });
    const seen: string[] = [];
    const hooks: AgentHooks = {
      onStepStart: ({ stepIndex, messages }) => {
        seen.push(`step-start ${stepIndex} (${messages.length} messages)`);
      },
      onToolCallStart: ({ name }) => {
        seen.push(`tool-start ${name}`);
      },
      onToolCallEnd: ({ name, status }) => {
        seen.push(`tool-end ${name} ${status}`);
      },
      onStepEnd: async ({ index, finishReason }) => {
        await Promise.resolve();
        seen.push(`step-end ${index} ${finishReason}`);
      },
    };
    await new Agent({ client: clientFor(emulator), tools: [weatherTool()], hooks }).run('Paris?');
    expect(seen).toEqual([
      'step-start 0 (1 messages)',
      'tool-end nope error',
      'tool-start get_weather',
      'tool-end get_weather ok',
      'step-end 0 tool_calls',
      'step-start 1 (4 messages)',
      'step-end 1 stop',
    ]);
  });

  it('a throwing hook does not break the run; it is logged at warn level', async () => {
    const emulator = await emulate({ script: SCRIPT });
    const warnings: unknown[] = [];
    const logger = {
      debug: () => {},
      info: () => {},
      warn: (object: object, message?: string) => warnings.push({ object, message }),
      error: () => {},
      isLevelEnabled: () => false,
    };
    const hooks: AgentHooks = {
      onStepStart: () => {
        throw new Error('hook bug');
      },
      onToolCallEnd: async () => {
        throw new Error('async hook bug');
      },
    };
    const result = await new Agent({
      client: clientFor(emulator),
      tools: [weatherTool()],
      hooks,
      logger,
    }).run('Paris?');
    expect(result.finishReason).toBe('stop');
    expect(warnings.length).toBe(4);
    expect(warnings[0]).toMatchObject({ message: expect.stringMatching(/onStepStart threw/) });
  });

  it('logs steps at debug level through pino, never the API key', async () => {
    const emulator = await emulate({ script: SCRIPT });
    const lines: string[] = [];
    const logger = createLogger('debug', { write: (line: string) => lines.push(line) });
    const client = new DeepSeek({ apiKey: 'sk-test', baseURL: emulator.url, maxRetries: 0, logger });
    await new Agent({ client, tools: [weatherTool()] }).run('Paris?');
    const entries = lines.map((line) => JSON.parse(line) as { msg?: string; level: number });
    expect(entries.filter((entry) => entry.msg === 'agent step')).toHaveLength(2);
    expect(entries.filter((entry) => entry.msg === 'agent tool call')).toHaveLength(1);
    expect(entries.some((entry) => entry.msg === 'agent run finished')).toBe(true);
    expect(lines.join('\n')).not.toContain('sk-test');
  });

  it('logs nothing when the logger is not at debug level', async () => {
    const emulator = await emulate({ script: SCRIPT });
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => lines.push(line) });
    await new Agent({ client: clientFor(emulator), tools: [weatherTool()], logger }).run('Paris?');
    expect(lines.filter((line) => line.includes('agent'))).toEqual([]);
  });
});
