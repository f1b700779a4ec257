import { PlumbError } from '@plumb/core';
import { describe, expect, it } from 'vitest';
import { DurableConfigError, DurableError, RunNotFoundError } from './errors.js';

describe('durable errors', () => {
  it('are PlumbErrors named after their class', () => {
    const error = new RunNotFoundError('run-1');
    expect(error).toBeInstanceOf(PlumbError);
    expect(error).toBeInstanceOf(DurableError);
    expect(error.name).toBe('RunNotFoundError');
    expect(new DurableConfigError('pool', 'pass a pg Pool').name).toBe('DurableConfigError');
  });
});
