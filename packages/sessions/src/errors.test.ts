import { AgentError } from '@plumb/agent';
import { PlumbError } from '@plumb/core';
import { describe, expect, it } from 'vitest';
import { SessionStoreError } from './errors.js';

describe('SessionStoreError', () => {
  it('is an AgentError and a PlumbError named after its class', () => {
    const error = new SessionStoreError('The database refused.');
    expect(error).toBeInstanceOf(AgentError);
    expect(error).toBeInstanceOf(PlumbError);
    expect(error.name).toBe('SessionStoreError');
  });
});
