import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FIXTURES } from '../test-helpers.js';
import { replayOf } from './rerun.js';
import { type Studio, startStudio } from './server.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

/** A raw request, so the Host header can be anything (fetch always sends the URL's). */
function raw(
  url: string,
  options: { method?: string; host?: string; headers?: Record<string, string>; body?: string },
) {
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>(
    (resolve, reject) => {
      const target = new URL(url);
      const req = httpRequest(
        {
          hostname: '127.0.0.1',
          port: target.port,
          path: target.pathname,
          method: options.method ?? 'GET',
          headers: { host: options.host ?? target.host, ...options.headers },
        },
        (res) => {
          let body = '';
          res.on('data', (chunk) => {
            body += String(chunk);
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
        },
      );
      req.on('error', reject);
      req.end(options.body);
    },
  );
}

describe('plumb studio server', () => {
  let dir: string;
  let studio: Studio;
  let token: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'plumb-studio-'));
    studio = await startStudio({
      agentModule: join(FIXTURES, 'shop-agent.ts'),
      store: join(dir, 'runs.jsonl'),
      port: 0,
    });
    const page = await raw(studio.url, {});
    token = /name="plumb-token" content="([0-9a-f]+)"/.exec(page.body)![1]!;
  });

  afterAll(async () => {
    await studio.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 and serves the page with a strict Content-Security-Policy', async () => {
    expect(studio.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await raw(studio.url, {});
    expect(page.status).toBe(200);
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
    expect(token).toHaveLength(48);
  });

  it('refuses another Host (DNS rebinding)', async () => {
    const response = await raw(`${studio.url}api/runs`, { host: 'evil.example:80' });
    expect(response.status).toBe(421);
  });

  it('refuses a POST without the page token', async () => {
    const body = JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] });
    const missing = await raw(`${studio.url}api/chat`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(missing.status).toBe(403);
    const wrong = await raw(`${studio.url}api/chat`, {
      method: 'POST',
      body,
      headers: { 'x-plumb-token': 'f'.repeat(48) },
    });
    expect(wrong.status).toBe(403);
    const right = await raw(`${studio.url}api/chat`, {
      method: 'POST',
      body,
      headers: { 'x-plumb-token': token },
    });
    expect(right.status).toBe(200);
    expect(right.body).toContain('"type":"text-delta"');
    expect(right.body).toContain('"type":"finish","finishReason":"stop"');
  });

  it('decides only calls it holds, and checks the chat body', async () => {
    const headers = { 'x-plumb-token': token };
    const unknown = await raw(`${studio.url}api/runs/run_nope/decide`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ callId: 'call_x', approved: true }),
    });
    expect(unknown.status).toBe(404);
    const bad = await raw(`${studio.url}api/chat`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ messages: [{ role: 'system', content: 'x' }] }),
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('`messages`');
  });

  it('a replay repeats the recorded model turns with the recorded input', () => {
    const replay = replayOf({
      run: { runId: 'r', agent: 'a', model: 'm', status: 'done', startedAt: '', steps: 2, toolCalls: 1 },
      events: [
        {
          runId: 'r',
          seq: 0,
          at: '',
          type: 'run-start',
          data: {
            messages: [
              { role: 'system', content: 's' },
              { role: 'user', content: 'hi' },
            ],
          },
        },
        {
          runId: 'r',
          seq: 1,
          at: '',
          type: 'step-end',
          stepIndex: 0,
          data: {
            step: {
              text: '',
              reasoning: 'r1',
              toolCalls: [{ id: 'call_1', name: 't', rawArguments: '{"a": 1}' }],
            },
          },
        },
        {
          runId: 'r',
          seq: 2,
          at: '',
          type: 'step-end',
          stepIndex: 1,
          data: { step: { text: 'done', reasoning: '', toolCalls: [] } },
        },
      ],
    });
    expect(replay).toEqual({
      input: [{ role: 'user', content: 'hi' }],
      turns: [
        { content: '', reasoning: 'r1', toolCalls: [{ name: 't', arguments: '{"a": 1}', id: 'call_1' }] },
        { content: 'done' },
      ],
    });
  });
});
