import { describe, expect, it } from 'vitest';
import { ConfigError, type DeepSeek, PreflightError } from '../index.js';
import { clientFor, emulate, failureOf, hello } from '../test-helpers.js';
import { CLIENT_OPTION_KEYS, REQUEST_OPTION_KEYS } from './check-options.js';
import { DeepSeek as Client } from './client.js';

/** The ConfigError `build` throws (fails the test when it throws nothing or something else). */
function configError(build: () => unknown): ConfigError {
  let caught: unknown;
  try {
    build();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ConfigError);
  return caught as ConfigError;
}

const make = (options: Record<string, unknown>) => () =>
  new Client({ apiKey: 'sk-fake-options', ...options } as ConstructorParameters<typeof Client>[0]);

describe('client options are checked before any request', () => {
  it('rejects an unknown key with a did-you-mean', () => {
    const error = configError(make({ timout: 5_000 }));
    expect(error.field).toBe('timout');
    expect(error.message).toMatch(/Unknown client option "timout": did you mean `timeout`\?/);
    expect(configError(make({ maxRetry: 1 })).message).toMatch(/did you mean `maxRetries`/);
    expect(configError(make({ zzzzzzzzzz: 1 })).message).not.toMatch(/did you mean/);
  });

  it('knows every documented option, including the ones added alongside (telemetry, fetchOptions, defaultQuery, logLevel)', () => {
    for (const key of [
      'telemetry',
      'fetchOptions',
      'defaultQuery',
      'logLevel',
      'extraModels',
      'maxResponseBytes',
    ])
      expect(CLIENT_OPTION_KEYS).toContain(key);
    expect(
      () => new Client({ apiKey: 'sk-fake-options', logLevel: 'silent', defaultQuery: { a: 'b' } }),
    ).not.toThrow();
  });

  it('wants baseURL to be an http(s) URL and never quotes the value back', () => {
    const bad = configError(make({ baseURL: 'not a url sk-fake-in-the-url' }));
    expect(bad.field).toBe('baseURL');
    expect(bad.message).not.toContain('sk-fake-in-the-url');
    expect(bad.message).not.toContain('not a url');
    const ftp = configError(make({ baseURL: 'ftp://files.example/deepseek' }));
    expect(ftp.message).toMatch(/http:\/\/ or https:\/\/.*got a ftp: URL/);
    expect(configError(make({ baseURL: 42 })).message).toMatch(/got a number \(42\)/);
  });

  it('wants header values to be strings, naming the header and the type it got', () => {
    const error = configError(make({ defaultHeaders: { 'x-team': 7 } }));
    expect(error.field).toBe('defaultHeaders');
    expect(error.message).toMatch(/header `x-team`.*got a number \(7\)/);
  });

  it('wants a logger with debug/info/warn/error methods', () => {
    expect(configError(make({ logger: console.log })).message).toMatch(/got a function/);
    expect(configError(make({ logger: { info() {} } })).message).toMatch(/no debug, warn, error method/);
    expect(() => make({ logger: { debug() {}, info() {}, warn() {}, error() {} } })()).not.toThrow();
  });

  it('type errors say the type they got', () => {
    expect(configError(make({ timeout: 'hot' })).message).toMatch(/got a string \("hot"\)/);
    expect(configError(make({ maxRetries: null })).message).toMatch(/got null/);
    expect(configError(make({ preflight: 'yes' })).message).toMatch(/got a string \("yes"\)/);
    expect(configError(make({ maxResponseBytes: 0 })).message).toMatch(
      /positive integer, got a number \(0\)/,
    );
    expect(configError(make({ extraModels: 'deepseek-v5' })).message).toMatch(/array of model ids/);
  });
});

describe('request options are checked before anything is sent', () => {
  it('rejects unknown keys and bad values, and nothing reaches the server', async () => {
    const emulator = await emulate();
    const client = clientFor();
    const unknown = await failureOf(client.chat.completions.create(hello, { timout: 1 } as never));
    expect(unknown).toBeInstanceOf(ConfigError);
    expect((unknown as Error).message).toMatch(/Unknown request option "timout": did you mean `timeout`/);
    const hot = await failureOf(client.chat.completions.create(hello, { timeout: 'hot' as never }));
    expect((hot as Error).message).toMatch(/`timeout`.*got a string \("hot"\)/);
    expect(() => client.chat.completions.stream(hello, { headers: { 'x-n': 1 as never } })).toThrow(
      ConfigError,
    );
    expect(() => client.chat.completions.stream(hello, 'fast' as never)).toThrow(
      /request options to be an object/,
    );
    expect(REQUEST_OPTION_KEYS).toContain('signal');
    expect(emulator.requests).toHaveLength(0);
  });
});

describe('model ids', () => {
  async function modelError(client: DeepSeek, model: string): Promise<PreflightError> {
    const error = await failureOf(client.chat.completions.create({ ...hello, model }));
    expect(error).toBeInstanceOf(PreflightError);
    return error as PreflightError;
  }

  it('retired ids fail before the first round trip, naming the current models and the replacement', async () => {
    const emulator = await emulate();
    const client = clientFor();
    const chat = await modelError(client, 'deepseek-chat');
    expect(chat.rule).toBe('model-retired');
    expect(chat.message).toMatch(
      /retired.*2026-07-24.*'deepseek-flash' with thinking: \{ type: 'disabled' \}.*'deepseek-flash' or 'deepseek-v4-pro'/,
    );
    expect((await modelError(client, 'deepseek-reasoner')).rule).toBe('model-retired');
    expect(() => client.chat.completions.stream({ ...hello, model: 'deepseek-reasoner' })).toThrow(
      PreflightError,
    );
    const fim = await failureOf(client.completions.create({ model: 'deepseek-chat', prompt: 'x' }));
    expect(fim).toBeInstanceOf(PreflightError);
    expect(emulator.requests).toHaveLength(0);
  });

  it('unknown ids fail with a did-you-mean and the escape hatch', async () => {
    const emulator = await emulate();
    const error = await modelError(clientFor(), 'deepseek-flsh');
    expect(error.rule).toBe('model-unknown');
    expect(error.message).toMatch(/did you mean 'deepseek-flash'.*extraModels/);
    expect(emulator.requests).toHaveLength(0);
  });

  it('extraModels (or preflight: false) lets a model plumb does not know yet through to DeepSeek', async () => {
    const emulator = await emulate();
    const client = clientFor({ extraModels: ['deepseek-v5'] });
    // The emulator does not know it either, so DeepSeek's own 400 proves the request was sent.
    const sent = await failureOf(client.chat.completions.create({ ...hello, model: 'deepseek-v5' }));
    expect(sent).not.toBeInstanceOf(PreflightError);
    const unchecked = await failureOf(
      clientFor().chat.completions.create({ ...hello, model: 'deepseek-v5' }, { preflight: false }),
    );
    expect(unchecked).not.toBeInstanceOf(PreflightError);
    expect(emulator.requests).toHaveLength(2);
    // Legacy ids DeepSeek still serves are accepted.
    await clientFor().chat.completions.create({ ...hello, model: 'deepseek-v4-flash' });
  });
});
