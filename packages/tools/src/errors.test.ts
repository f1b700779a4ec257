import { describe, expect, it } from 'vitest';
import {
  ToolAbortedError,
  ToolDefinitionError,
  ToolError,
  ToolExecutionError,
  ToolInputError,
  ToolTimeoutError,
} from './errors.js';

describe('errors', () => {
  const input = new ToolInputError('bad', {
    kind: 'validation',
    toolName: 't',
    callId: 'c',
    rawArguments: '{}',
  });
  const all = [
    new ToolDefinitionError('def', { toolName: 't' }),
    input,
    new ToolExecutionError('exec', { toolName: 't', callId: 'c', cause: new Error('root') }),
    new ToolTimeoutError({ toolName: 't', callId: 'c', timeoutMs: 5 }),
    new ToolAbortedError({ toolName: 't', callId: 'c' }),
  ];

  it('all extend ToolError and Error, with their own name', () => {
    expect(all.map((error) => error.name)).toEqual([
      'ToolDefinitionError',
      'ToolInputError',
      'ToolExecutionError',
      'ToolTimeoutError',
      'ToolAbortedError',
    ]);
    for (const error of all) {
      expect(error).toBeInstanceOf(ToolError);
      expect(error).toBeInstanceOf(Error);
      expect(ToolError.isInstance(error)).toBe(true);
    }
  });

  it('isInstance tells the classes apart and works across copies of the package', () => {
    expect(ToolInputError.isInstance(input)).toBe(true);
    expect(ToolTimeoutError.isInstance(input)).toBe(false);
    const foreign = Object.assign(new Error('x'), { name: 'ToolInputError' });
    Object.defineProperty(foreign, Symbol.for('@plumb/tools.error'), { value: true });
    expect(ToolInputError.isInstance(foreign)).toBe(true);
    expect(ToolError.isInstance(new Error('plain'))).toBe(false);
  });

  it('keeps fields and the cause', () => {
    expect(input).toMatchObject({
      kind: 'validation',
      toolName: 't',
      callId: 'c',
      rawArguments: '{}',
      issues: [],
    });
    expect((all[2]!.cause as Error).message).toBe('root');
    expect(all[3]?.message).toBe(
      'Tool "t" (call c) timed out after 5 ms and was cancelled. Raise the tool\'s timeoutMs if it legitimately needs longer.',
    );
  });
});
