import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  APIConnectionError,
  BadRequestError,
  ConfigError,
  DeepSeek,
  type Logger,
  ResponseParseError,
  StreamInterruptedError,
} from '../index.js';
import { emulate, failureOf, hello, serve } from '../test-helpers.js';

const KEY = 'sk-fake-secret0123456789abcdef01';
const PASSWORD = 'hunter2-Pa55word';
const HEADER_TOKEN = 'gw-token-77aa88bb';

/** Every form a server could echo a secret in: raw, JSON \u-escaped, percent-encoded. */
function forms(secret: string): string[] {
  const escaped = [...secret]
    .map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .join('');
  return [secret, escaped, encodeURIComponent(secret), JSON.parse(`"${escaped}"`) as string];
}

/** Fails when any secret shows in the error's message, stack, fields, JSON or inspect output. */
function expectClean(value: unknown): void {
  const error = value as Error & { cause?: Error };
  const texts = [
    error.message,
    error.stack ?? '',
    JSON.stringify(error),
    inspect(error, { depth: 6 }),
    JSON.stringify({ ...error }),
    String(error.cause?.message ?? ''),
    String(error.cause?.stack ?? ''),
  ];
  for (const text of texts) {
    for (const secret of [KEY, PASSWORD, HEADER_TOKEN]) {
      expect(text).not.toContain(secret);
      expect(text.toLowerCase()).not.toContain(forms(secret)[1]!.toLowerCase());
    }
  }
}

/** A fetch that accepts user:password@ URLs (as a proxy-aware fetch might) by dropping the userinfo. */
const credentialFetch: typeof fetch = (input, init) => {
  const url = new URL(String(input));
  url.username = '';
  url.password = '';
  return globalThis.fetch(url, init);
};

/** A client whose base URL carries a password, with a credential header, talking to `url`. */
function clientWithSecrets(url: string, extra: Record<string, unknown> = {}): DeepSeek {
  return new DeepSeek({
    apiKey: KEY,
    baseURL: `http://user:${PASSWORD}@${new URL(url).host}`,
    fetch: credentialFetch,
    defaultHeaders: { 'x-gateway-token': HEADER_TOKEN },
    maxRetries: 0,
    ...extra,
  });
}

describe('secrets never leak', () => {
  it('a base URL with a password is refused with the default fetch, without quoting it', () => {
    let error: unknown;
    try {
      new DeepSeek({ apiKey: KEY, baseURL: `https://user:${PASSWORD}@gateway.example` });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).field).toBe('baseURL');
    expect((error as Error).message).toMatch(/user name or password.*header/);
    expectClean(error);
  });

  it('an invalid base URL is not quoted back', () => {
    let error: unknown;
    try {
      new DeepSeek({ apiKey: KEY, baseURL: `gateway ${PASSWORD}` });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expectClean(error);
  });

  it('server text echoing the key and the password (raw or JSON-escaped) is redacted in message, param and error', async () => {
    const echo = `bad key ${forms(KEY)[1]} for user:${PASSWORD} token ${forms(HEADER_TOKEN)[1]}`;
    const emulator = await emulate({
      apiKey: KEY,
      faults: [
        {
          status: 400,
          contentType: 'application/json',
          rawBody: `{"error":{"message":"${echo}","type":"invalid_request_error","param":"${forms(KEY)[1]}","code":"x"}}`,
        },
      ],
    });
    const error = await failureOf(clientWithSecrets(emulator.url).chat.completions.create(hello));
    expect(error).toBeInstanceOf(BadRequestError);
    expectClean(error);
    expect((error as BadRequestError).param).toContain('****');
  });

  it('ResponseParseError.body of a non-JSON 200 is redacted', async () => {
    const { url } = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end(`oops ${KEY} ${PASSWORD} ${HEADER_TOKEN}`);
    });
    const error = await failureOf(clientWithSecrets(url).models.list());
    expect(error).toBeInstanceOf(ResponseParseError);
    expect((error as ResponseParseError).body).toContain('oops');
    expectClean(error);
    expect((error as ResponseParseError).body).not.toContain(PASSWORD);
  });

  it('StreamInterruptedError.cause.body of a malformed chunk is redacted', async () => {
    const { url } = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(
        'data: {"id":"1","object":"chat.completion.chunk","created":1,"model":"deepseek-flash","choices":[{"index":0,"delta":{"role":"assistant","content":"hi"},"finish_reason":null}]}\n\n',
      );
      response.end(`data: {broken ${forms(KEY)[1]} ${PASSWORD}\n\n`);
    });
    const error = await failureOf(clientWithSecrets(url).chat.completions.stream(hello).finalCompletion());
    expect(error).toBeInstanceOf(StreamInterruptedError);
    const cause = (error as StreamInterruptedError).cause as ResponseParseError;
    expect(cause).toBeInstanceOf(ResponseParseError);
    expect(cause.body).toContain('broken');
    expectClean(error);
    expectClean(cause);
  });

  it('a connection error whose fetch quotes the URL keeps the password out of the message, the cause and the logs', async () => {
    const records: unknown[] = [];
    const logger: Logger = {
      debug: (object, message) => records.push([object, message]),
      info: (object, message) => records.push([object, message]),
      warn: (object, message) => records.push([object, message]),
      error: (object, message) => records.push([object, message]),
    };
    const quotingFetch: typeof fetch = async (input) => {
      throw new TypeError(`fetch failed for ${String(input)}`, {
        cause: new Error(`connect ECONNREFUSED ${String(input)}`),
      });
    };
    const client = new DeepSeek({
      apiKey: KEY,
      baseURL: `http://user:${PASSWORD}@127.0.0.1:9`,
      fetch: quotingFetch,
      logger,
      maxRetries: 1,
      initialRetryDelayMs: 1,
    });
    const error = await failureOf(client.chat.completions.create(hello));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toContain('fetch failed');
    expectClean(error);
    expect(records.length).toBeGreaterThan(0);
    expect(JSON.stringify(records)).not.toContain(PASSWORD);
    expect(client.baseURL).not.toContain(PASSWORD);
  });
});
