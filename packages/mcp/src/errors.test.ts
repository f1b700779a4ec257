import { PlumbError } from '@plumb/core';
import { describe, expect, it } from 'vitest';
import { McpConfigError, McpConnectionError, McpError } from './errors.js';

describe('mcp errors', () => {
  it('are PlumbErrors named after their class, keeping the cause', () => {
    const cause = new Error('ECONNREFUSED');
    const error = new McpConnectionError('files', 'The server went away.', { cause });
    expect(error).toBeInstanceOf(PlumbError);
    expect(McpError.isInstance(error)).toBe(true);
    expect(error.name).toBe('McpConnectionError');
    expect(error.cause).toBe(cause);
    expect(new McpConfigError('files', 'command', 'expected a string').name).toBe('McpConfigError');
  });
});
