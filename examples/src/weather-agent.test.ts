/**
 * How to test an agent: against the DeepSeek emulator with a script, and by replaying a recorded
 * cassette. docs/guides/testing.md quotes this file.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeepSeek } from '@plumb/core';
import { startEmulator, startRecorder } from '@plumb/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createWeatherAgent } from './lib/weather.js';

const folder = await mkdtemp(join(tmpdir(), 'plumb-examples-'));
afterAll(() => rm(folder, { recursive: true, force: true }));

describe('the weather agent', () => {
  // #region scripted
  it('calls get_weather and answers with its result', async () => {
    const emulator = await startEmulator({
      script: [
        { toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }] },
        { content: 'It is 9 °C and windy in Oslo.' },
      ],
    });
    try {
      const client = new DeepSeek({ apiKey: emulator.apiKey, baseURL: emulator.url, maxRetries: 0 });
      const result = await createWeatherAgent(client).run('Weather in Oslo?');

      expect(result.text).toBe('It is 9 °C and windy in Oslo.');
      expect(result.steps[0]?.toolCalls[0]).toMatchObject({
        name: 'get_weather',
        status: 'ok',
        result: { city: 'Oslo', celsius: 9, conditions: 'windy' },
      });
      // The second request carried the tool result to the model.
      expect(emulator.requests[1]?.body.messages.at(-1)).toMatchObject({
        role: 'tool',
        content: expect.stringContaining('windy'),
      });
      emulator.assertDone(); // every scripted turn was used
    } finally {
      await emulator.close();
    }
  });
  // #endregion

  // #region tool-error
  it('sends a failing tool’s error back to the model instead of crashing', async () => {
    const emulator = await startEmulator({
      script: [
        { toolCalls: [{ name: 'get_weather', arguments: { city: 'Atlantis' } }] },
        {
          expect: (request) => expect(request.body.messages.at(-1).content).toContain('No weather station'),
          content: 'I could not find a weather station for Atlantis.',
        },
      ],
    });
    try {
      const client = new DeepSeek({ apiKey: emulator.apiKey, baseURL: emulator.url, maxRetries: 0 });
      const result = await createWeatherAgent(client).run('Weather in Atlantis?');

      expect(result.finishReason).toBe('stop');
      expect(result.steps[0]?.toolCalls[0]?.status).toBe('error');
      emulator.assertDone(); // also fails if an `expect` above threw
    } finally {
      await emulator.close();
    }
  });
  // #endregion

  // #region faults
  it('survives an overloaded API: the client retries a 503', async () => {
    const emulator = await startEmulator({
      script: [
        { fault: { status: 503, headers: { 'retry-after-ms': '0' } } },
        { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
        { content: 'Light rain in Paris.' },
      ],
    });
    try {
      const client = new DeepSeek({ apiKey: emulator.apiKey, baseURL: emulator.url, maxRetries: 2 });
      const result = await createWeatherAgent(client).run('Weather in Paris?');

      expect(result.text).toBe('Light rain in Paris.');
      expect(emulator.requests.map((request) => request.status)).toEqual([503, 200, 200]);
    } finally {
      await emulator.close();
    }
  });
  // #endregion

  // #region cassette
  it('replays a recorded conversation offline', async () => {
    const cassette = join(folder, 'weather.json');

    // 1. Record. The recorder is a proxy to `target` (default https://api.deepseek.com, using
    //    DEEPSEEK_API_KEY) that writes every exchange to the cassette file. Record once against the
    //    real API and commit the file; to keep this test offline, the target here is an emulator.
    const upstream = await startEmulator({
      script: [
        { toolCalls: [{ name: 'get_weather', arguments: { city: 'Tokyo' } }] },
        { content: 'Cloudy and 21 °C in Tokyo.' },
      ],
    });
    const recorder = await startRecorder({ cassette, target: upstream.url, apiKey: upstream.apiKey });
    await createWeatherAgent(new DeepSeek({ baseURL: recorder.url, apiKey: 'any' })).run('Tokyo?');
    await recorder.close();
    await upstream.close();

    // 2. Replay: the emulator answers from the cassette. A request that differs from the recorded
    //    one gets a 400 naming the first difference, so a changed prompt or tool shows up at once.
    const replay = await startEmulator({ cassette });
    try {
      const client = new DeepSeek({ apiKey: replay.apiKey, baseURL: replay.url, maxRetries: 0 });
      const result = await createWeatherAgent(client).run('Tokyo?');

      expect(result.text).toBe('Cloudy and 21 °C in Tokyo.');
      replay.assertDone(); // every recorded exchange was replayed
    } finally {
      await replay.close();
    }
  });
  // #endregion
});
