import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { APIError, ConfigError, DeepSeekError, RateLimitError } from './errors.js';
import { PlumbError } from './plumb-error.js';

type ErrorsModule = typeof import('./errors.js');

// A second copy of the error modules, as an application gets with two versions of @plumb/core in
// node_modules: the same files at another path are other modules, with other classes.
const copyDir = mkdtempSync(join(tmpdir(), 'plumb-error-copy-'));
afterAll(() => rmSync(copyDir, { recursive: true, force: true }));
const srcDir = fileURLToPath(new URL('..', import.meta.url));
for (const file of [
  'errors/plumb-error.ts',
  'errors/errors.ts',
  'internal/redact.ts',
  'internal/http/status-table.ts',
  'streaming/text.ts',
]) {
  mkdirSync(dirname(join(copyDir, file)), { recursive: true });
  cpSync(join(srcDir, file), join(copyDir, file));
}

async function otherCopy(): Promise<ErrorsModule> {
  const copy = (await import(pathToFileURL(join(copyDir, 'errors/errors.ts')).href)) as ErrorsModule;
  expect(copy.PlumbError).not.toBe(PlumbError);
  expect(copy.APIError).not.toBe(APIError);
  return copy;
}

describe('PlumbError', () => {
  it('is the root of core errors, named after the class that was built, keeping the cause', () => {
    class MyToolError extends PlumbError {}
    const cause = new TypeError('socket closed');
    const error = new MyToolError('failed', { cause });
    expect(error.name).toBe('MyToolError');
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(Error);
    const config = new ConfigError('apiKey', 'missing');
    expect(config.name).toBe('ConfigError');
    expect(config).toBeInstanceOf(PlumbError);
    expect(config).toBeInstanceOf(DeepSeekError);
    expect(PlumbError.isPlumbError(config)).toBe(true);
  });

  it('answers as usual for other errors and plain objects', () => {
    class PlumbErrorLookalike extends Error {}
    for (const value of [new Error('x'), new PlumbErrorLookalike('x'), { name: 'PlumbError' }, null, 'x']) {
      expect(value instanceof PlumbError).toBe(false);
      expect(PlumbError.isPlumbError(value)).toBe(false);
    }
    expect(new ConfigError('f', 'm') instanceof APIError).toBe(false);
  });

  it('recognises errors from another copy of the package, by brand and class name', async () => {
    const copy = await otherCopy();
    const foreign = new copy.RateLimitError({ status: 429, message: 'slow down', serverMessage: 'x' });
    expect(foreign instanceof PlumbError).toBe(true);
    expect(foreign instanceof DeepSeekError).toBe(true);
    expect(foreign instanceof APIError).toBe(true);
    expect(foreign instanceof RateLimitError).toBe(true);
    expect(foreign instanceof ConfigError).toBe(false);
    expect(PlumbError.isPlumbError(foreign)).toBe(true);
    expect(foreign.name).toBe('RateLimitError');
    // And the other way round: the copy recognises this copy's errors.
    const local = new ConfigError('timeout', 'bad');
    expect(local instanceof copy.PlumbError).toBe(true);
    expect(local instanceof copy.ConfigError).toBe(true);
    expect(local instanceof copy.APIError).toBe(false);
    expect(copy.PlumbError.isPlumbError(local)).toBe(true);
  });

  it('recognises a fresh module instance of the same file (vitest module reset)', async () => {
    vi.resetModules();
    const fresh = (await import('./plumb-error.js')) as typeof import('./plumb-error.js');
    expect(fresh.PlumbError).not.toBe(PlumbError);
    class Fresh extends fresh.PlumbError {}
    expect(new Fresh('x') instanceof PlumbError).toBe(true);
    expect(new fresh.PlumbError('x') instanceof PlumbError).toBe(true);
  });
});
