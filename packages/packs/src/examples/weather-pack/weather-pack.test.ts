import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from '@plumb/agent';
import { DeepSeek } from '@plumb/core';
import { type Emulator, startEmulator } from '@plumb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { weatherPack } from './index.js';

// A stand-in for the weather service, on loopback.
let service: Server;
let serviceURL: string;
// The DeepSeek emulator from @plumb/testing, scripted per test.
let emulator: Emulator | undefined;

beforeAll(async () => {
  service = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (request.headers.authorization !== 'Bearer test-key') return void response.writeHead(401).end();
    if (url.searchParams.get('city') !== 'Paris') return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ city: 'Paris', celsius: 21, conditions: 'sunny' }));
  });
  await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
  serviceURL = `http://127.0.0.1:${(service.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await emulator?.close();
  await new Promise((resolve) => service.close(resolve));
});

describe('weatherPack', () => {
  it('defines prefixed tools with JSON schemas', () => {
    const pack = weatherPack({ apiKey: 'test-key', baseURL: serviceURL });
    expect(pack.tools.map((t) => t.definition.function.name)).toEqual([
      'weather_current',
      'weather_forecast',
    ]);
    expect(pack.tools[0]!.definition.function.parameters).toMatchObject({ required: ['city'] });
  });

  it('runs a call and turns failures into messages for the model', async () => {
    const [current] = weatherPack({ apiKey: 'test-key', baseURL: serviceURL }).tools;
    const ok = await current!.invoke({ id: 'call_1', function: { arguments: '{"city":"Paris"}' } });
    expect(ok).toMatchObject({ ok: true, value: { city: 'Paris', celsius: 21 } });
    const unknown = await current!.invoke({ id: 'call_2', function: { arguments: '{"city":"Atlantis"}' } });
    expect(unknown.ok).toBe(false);
    expect(unknown.content).toContain('Unknown city');
  });

  it('works inside an agent, against the DeepSeek emulator', async () => {
    emulator = await startEmulator({
      port: 0,
      apiKey: 'sk-test',
      script: [
        { toolCalls: [{ name: 'weather_current', arguments: { city: 'Paris' } }] },
        {
          content: 'It is 21 °C and sunny in Paris.',
          expect: (request) => {
            const last = request.body.messages.at(-1);
            if (last.role !== 'tool' || !last.content.includes('"celsius":21'))
              throw new Error('no tool result');
          },
        },
      ],
    });
    const agent = new Agent({
      client: new DeepSeek({ apiKey: 'sk-test', baseURL: emulator.url }),
      tools: [weatherPack({ apiKey: 'test-key', baseURL: serviceURL })],
    });
    const result = await agent.run('What is the weather in Paris?');
    expect(result.text).toBe('It is 21 °C and sunny in Paris.');
    expect(result.steps[0]!.toolCalls[0]).toMatchObject({ name: 'weather_current', status: 'ok' });
    emulator.assertDone();
  });
});
