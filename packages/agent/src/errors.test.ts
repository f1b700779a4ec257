import { DeepSeekError, PlumbError } from '@plumb/core';
import { ToolDefinitionError, ToolError, ToolInputError } from '@plumb/tools';
import { describe, expect, it } from 'vitest';
import {
  AgentConfigError,
  AgentError,
  AgentRunError,
  MaxStepsExceededError,
  RunStateError,
  StructuredOutputError,
} from './errors.js';
import type { AgentResult } from './run/result.js';

const result = {
  finishReason: 'error',
  steps: [],
  messages: [],
  usage: undefined,
} as unknown as AgentResult<unknown>;

describe('one error root', () => {
  it('agent, tools and core errors are PlumbErrors named after their class', () => {
    const errors: [Error, string][] = [
      [new AgentConfigError('maxSteps', 'expected a positive integer'), 'AgentConfigError'],
      [new AgentRunError('failed', result), 'AgentRunError'],
      [new StructuredOutputError('{', 'not JSON', 1, result), 'StructuredOutputError'],
      [new MaxStepsExceededError(result), 'MaxStepsExceededError'],
      [new RunStateError('bad state'), 'RunStateError'],
      [new ToolDefinitionError('bad tool'), 'ToolDefinitionError'],
      [new DeepSeekError('x'), 'DeepSeekError'],
    ];
    for (const [error, name] of errors) {
      expect(error).toBeInstanceOf(PlumbError);
      expect(PlumbError.isPlumbError(error)).toBe(true);
      expect(error.name).toBe(name);
    }
  });

  it('keeps the instanceof relations and isInstance checks of each package', () => {
    const config = new AgentConfigError('model', 'bad');
    expect(config).toBeInstanceOf(AgentError);
    expect(AgentError.isInstance(config)).toBe(true);
    expect(config).not.toBeInstanceOf(ToolError);
    expect(config).not.toBeInstanceOf(DeepSeekError);
    expect(new MaxStepsExceededError(result)).toBeInstanceOf(AgentRunError);
    const input = new ToolInputError('bad', {
      kind: 'invalid_json',
      toolName: 't',
      callId: 'c',
      rawArguments: '{',
    });
    expect(ToolInputError.isInstance(input)).toBe(true);
    expect(input).toBeInstanceOf(ToolError);
    expect(input).not.toBeInstanceOf(AgentError);
  });

  it('a wrapping error keeps what it wraps in cause', () => {
    const cause = new DeepSeekError('401');
    const error = new AgentRunError('The run failed: 401', result, { cause });
    expect(error.cause).toBe(cause);
  });
});
