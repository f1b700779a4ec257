import { describe, expect, it } from 'vitest';
import { DeepSeek, ResponseParseError } from '../../index.js';
import { failureOf, hello, serve } from '../../test-helpers.js';

/** A loopback server answering 200 with `body` (JSON) to every request. */
async function answer(body: unknown): Promise<DeepSeek> {
  const { url } = await serve((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json', 'x-ds-trace-id': 'trace-shape' });
    response.end(JSON.stringify(body));
  });
  return new DeepSeek({
    apiKey: 'sk-fake-shape-key-0001',
    baseURL: url,
    maxRetries: 0,
  });
}

async function shapeError(call: Promise<unknown>): Promise<ResponseParseError> {
  const error = await failureOf(call);
  expect(error).toBeInstanceOf(ResponseParseError);
  return error as ResponseParseError;
}

describe('a 200 whose JSON has the wrong shape is a ResponseParseError naming what is missing', () => {
  it('chat: no choices', async () => {
    const client = await answer({ id: 'x', object: 'chat.completion', usage: {} });
    const error = await shapeError(client.chat.completions.create(hello));
    expect(error.message).toMatch(
      /`choices` is missing, expected a non-empty array.*request id trace-shape.*baseURL/,
    );
    expect(error.body).toContain('"object":"chat.completion"');
  });

  it('chat: an empty choices array, a choice without message, a message with numeric content', async () => {
    expect(
      (await shapeError((await answer({ choices: [] })).chat.completions.create(hello))).message,
    ).toMatch(/`choices` is an array, expected a non-empty array/);
    expect(
      (await shapeError((await answer({ choices: [{ index: 0 }] })).chat.completions.create(hello))).message,
    ).toMatch(/`choices\[0\]\.message` is missing/);
    const numeric = await answer({ choices: [{ message: { role: 'assistant', content: 42 } }] });
    expect((await shapeError(numeric.chat.completions.create(hello))).message).toMatch(
      /`choices\[0\]\.message\.content` is a number \(42\), expected a string or null/,
    );
  });

  it('FIM: a choice without text', async () => {
    const client = await answer({ choices: [{ index: 0 }] });
    const error = await shapeError(client.completions.create({ model: 'deepseek-flash', prompt: 'def f(' }));
    expect(error.message).toMatch(/`choices\[0\]\.text` is missing, expected a string/);
  });

  it('models: no data', async () => {
    const client = await answer({ object: 'list' });
    expect((await shapeError(client.models.list())).message).toMatch(/`data` is missing, expected an array/);
  });

  it('balance: is_available not a boolean', async () => {
    const client = await answer({ is_available: 'yes', balance_infos: [] });
    expect((await shapeError(client.user.balance())).message).toMatch(
      /`is_available` is a string \("yes"\), expected true or false/,
    );
  });

  it('a body that is not an object at all', async () => {
    const client = await answer([1, 2]);
    expect((await shapeError(client.models.list())).message).toMatch(
      /the body is an array, expected an object/,
    );
  });
});
