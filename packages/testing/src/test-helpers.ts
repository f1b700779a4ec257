import type { Emulator } from './types.js';

/** Test-only helpers (excluded from the build). */

// biome-ignore lint/suspicious/noExplicitAny: parsed wire JSON, inspected loosely by tests
type Json = any;

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: Json;
}

export async function send(
  emulator: Pick<Emulator, 'url'>,
  path: string,
  body?: unknown,
  init: { method?: string; headers?: Record<string, string>; apiKey?: string | null } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...init.headers };
  if (init.apiKey !== null) headers.authorization = `Bearer ${init.apiKey ?? 'sk-test'}`;
  const response = await fetch(emulator.url + path, {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  let json: Json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** A minimal valid chat body, with overrides. */
export function chatBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { model: 'deepseek-flash', messages: [{ role: 'user', content: 'Hi' }], ...overrides };
}

export function chat(
  emulator: Pick<Emulator, 'url'>,
  overrides: Record<string, unknown> = {},
  path = '/chat/completions',
) {
  return send(emulator, path, chatBody(overrides));
}

/** The `data:` payloads of an SSE body (`[DONE]` included as the string). */
export function dataPayloads(text: string): string[] {
  return text
    .split('\n\n')
    .filter((event) => event.startsWith('data: '))
    .map((event) => event.slice('data: '.length));
}

/** Parsed chunks of an SSE body, `[DONE]` excluded. */
export function chunksOf(text: string): Json[] {
  return dataPayloads(text)
    .filter((payload) => payload !== '[DONE]')
    .map((payload) => JSON.parse(payload));
}

export function errorOf(reply: Reply): { message: string; type: string } {
  return reply.json?.error;
}

/** A 1x1 PNG. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
