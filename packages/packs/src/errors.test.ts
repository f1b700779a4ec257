import { PlumbError } from '@plumb/core';
import { describe, expect, it } from 'vitest';
import { PackConfigError, PackError, PackInputError } from './errors.js';

describe('pack errors', () => {
  it('are PlumbErrors named after their class, keeping the cause', () => {
    const cause = new Error('EACCES');
    const error = new PackInputError('outside_root', 'The path is outside the root.', { cause });
    expect(error).toBeInstanceOf(PlumbError);
    expect(error).toBeInstanceOf(PackError);
    expect(error.name).toBe('PackInputError');
    expect(error.cause).toBe(cause);
    expect(new PackConfigError('fsPack: bad').code).toBe('invalid_config');
  });
});
