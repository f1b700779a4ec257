import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  approvalCheckFailedText,
  cancelledText,
  duplicateCallIdText,
  invalidArgumentsText,
  rejectedError,
  rejectedText,
  timedOutText,
  toolThrewText,
  unknownToolError,
  unknownToolText,
  unserializableResultText,
} from './failure-texts.js';
import { tool } from './tool.js';

const probe = (
  execute: (args: { n: number }, context: { signal: AbortSignal }) => unknown,
  timeoutMs?: number,
) =>
  tool({ name: 'probe', description: 'Probe', parameters: z.object({ n: z.number() }), execute, timeoutMs });

describe('the texts the model is told when a call fails', () => {
  it('each starts with "Error:", names the tool or the call, and says what to do next', () => {
    const texts = [
      invalidArgumentsText('Tool "probe": n must be a number.'),
      toolThrewText('probe', 'ENOENT'),
      unserializableResultText('probe'),
      timedOutText('probe', 500),
      cancelledText('probe'),
      unknownToolText('prbe', ['probe', 'search']),
      duplicateCallIdText('call_0'),
      approvalCheckFailedText('probe', 'no user'),
      rejectedText('probe', undefined),
      rejectedText('probe', 'too risky'),
    ];
    for (const text of texts) expect(text).toMatch(/^Error: /);
    expect(invalidArgumentsText('x')).toBe('Error: x\nFix the arguments and call the tool again.');
    expect(unknownToolText('prbe', ['probe', 'search'])).toBe(
      'Error: there is no tool named "prbe". Available tools: probe, search. Call one of them.',
    );
    expect(unknownToolText('x', [])).toContain('Available tools: (none).');
    expect(unknownToolError('prbe', ['probe'])).toBe(
      'The model called unknown tool "prbe". Available tools: probe.',
    );
    expect(rejectedText('probe', 'too risky')).toBe(
      'Error: the user rejected this call of tool "probe": too risky Do not retry it unchanged.',
    );
    expect(rejectedError(undefined)).toBe('rejected by the user');
  });

  it('are what the tool runner answers with', async () => {
    const threw = await probe(() => {
      throw new Error('ENOENT');
    }).run({ n: 1 }, { callId: 'c' });
    expect(threw.content).toBe(toolThrewText('probe', 'ENOENT'));
    const unserializable = await probe(() => 1n).run({ n: 1 }, { callId: 'c' });
    expect(unserializable.content).toBe(unserializableResultText('probe'));
    const slow = await probe(
      ({ n }, { signal }) => new Promise((resolve) => signal.addEventListener('abort', () => resolve(n))),
      20,
    ).run({ n: 1 }, { callId: 'c' });
    expect(slow.content).toBe(timedOutText('probe', 20));
    const cancelled = await probe(() => 'never').run({ n: 1 }, { callId: 'c', signal: AbortSignal.abort() });
    expect(cancelled.content).toBe(cancelledText('probe'));
    const parsed = await probe(() => 'x').parseArguments('{"n":"one"}', { callId: 'c' });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.content).toBe(invalidArgumentsText(parsed.error.message));
  });
});
