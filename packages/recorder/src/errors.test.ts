import { PlumbError } from '@plumb/core';
import { describe, expect, it } from 'vitest';
import { RecorderError } from './errors.js';

describe('RecorderError', () => {
  it('is a PlumbError named after its class, keeping the cause', () => {
    const cause = new Error('SQLITE_BUSY');
    const error = new RecorderError('The store is locked.', { cause });
    expect(error).toBeInstanceOf(PlumbError);
    expect(error.name).toBe('RecorderError');
    expect(error.cause).toBe(cause);
  });
});
