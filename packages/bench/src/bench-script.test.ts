import type { RecordedRequest } from '@plumb/testing';
import { describe, expect, it } from 'vitest';
import { benchScript, type LoopSpec, loopAnswer, loopPrompt, parseLoopPrompt } from './bench-script.js';

const spec: LoopSpec = { steps: 2, calls: 2, tool: 'step', ms: 0 };

function request(messages: unknown[]): RecordedRequest {
  return {
    index: 0,
    method: 'POST',
    path: '/chat/completions',
    headers: {},
    rawBody: '',
    body: { messages },
  };
}

const user = { role: 'user', content: loopPrompt(spec) };
const assistant = { role: 'assistant', content: '' };
const tool = { role: 'tool', tool_call_id: 'x', content: '{}' };

describe('loop prompts', () => {
  it('round-trip through parseLoopPrompt', () => {
    expect(parseLoopPrompt(loopPrompt(spec))).toEqual(spec);
    expect(parseLoopPrompt(loopPrompt({ steps: 1, calls: 8, tool: 'wait', ms: 100 }))).toEqual({
      steps: 1,
      calls: 8,
      tool: 'wait',
      ms: 100,
    });
  });

  it('reject anything else', () => {
    expect(parseLoopPrompt('hello')).toBeUndefined();
    expect(parseLoopPrompt('bench loop steps=x calls=1 tool=step')).toBeUndefined();
    expect(parseLoopPrompt('bench loop steps=1 calls=1 tool=shell')).toBeUndefined();
  });
});

describe('benchScript', () => {
  it('calls `calls` tools per turn until `steps` turns are in the history, then answers', () => {
    expect(benchScript(request([user])).toolCalls).toEqual([
      { name: 'step', arguments: { n: 0 } },
      { name: 'step', arguments: { n: 1 } },
    ]);
    expect(benchScript(request([user, assistant, tool, tool])).toolCalls).toEqual([
      { name: 'step', arguments: { n: 2 } },
      { name: 'step', arguments: { n: 3 } },
    ]);
    expect(benchScript(request([user, assistant, tool, tool, assistant, tool, tool]))).toEqual({
      content: loopAnswer(spec),
    });
  });

  it('asks the wait tool for its sleep', () => {
    const waitSpec: LoopSpec = { steps: 1, calls: 1, tool: 'wait', ms: 100 };
    const turn = benchScript(request([{ role: 'user', content: loopPrompt(waitSpec) }]));
    expect(turn.toolCalls).toEqual([{ name: 'wait', arguments: { ms: 100 } }]);
  });

  it('throws when a tool result is missing, so a loop that skips work fails', () => {
    expect(() => benchScript(request([user, assistant, tool]))).toThrow(
      'expected 2 tool results after 1 turns, got 1',
    );
  });

  it('reads text content parts and answers unknown prompts generically', () => {
    const parts = { role: 'user', content: [{ type: 'text', text: loopPrompt(spec) }] };
    expect(benchScript(request([parts])).toolCalls).toHaveLength(2);
    expect(benchScript(request([{ role: 'user', content: 'hi' }]))).toEqual({
      content: 'bench: unknown prompt',
    });
  });
});
