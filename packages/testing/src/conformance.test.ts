import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from './emulator.js';
import { chat, send } from './test-helpers.js';
import type { Emulator, Turn } from './types.js';

/**
 * The conformance suite: every capture in ../shared/fixtures/deepseek-wire is replayed as the
 * equivalent request to the emulator, and every key path of the capture (with its value type)
 * must appear in the emulator's answer. A new capture fails here until it is classified. Skipped,
 * visibly, where that folder is absent.
 */
const fixtures = fileURLToPath(new URL('../../../../shared/fixtures/deepseek-wire/', import.meta.url));
const hasFixtures = existsSync(fixtures);
const files = hasFixtures ? readdirSync(fixtures).filter((name) => name !== 'PROVENANCE.md') : [];

/** `a.b[].c:type` for every leaf and container. */
function paths(value: unknown, prefix = '', out = new Set<string>()): Set<string> {
  const type = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  out.add(`${prefix}:${type}`);
  if (Array.isArray(value)) for (const item of value) paths(item, `${prefix}[]`, out);
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) paths(item, `${prefix}.${key}`, out);
  }
  return out;
}

/** The JSON `data:` payloads of an SSE text (`[DONE]` left out). */
function dataObjects(text: string): unknown[] {
  return text
    .split(/\r?\n/)
    .filter((line) => line.startsWith('data: {'))
    .map((line) => JSON.parse(line.slice('data: '.length)));
}

/** Captures made by hand (PROVENANCE.md): only their real parts are held to the emulator. */
const SYNTHETIC_PATHS = [/logprobs\.reasoning_content/, /bytes:null/, /logprobs\.content:null/];

function request(parsed: unknown[]): { overrides: Record<string, unknown>; turn: Turn } {
  const text = JSON.stringify(parsed);
  const first = parsed[0] as { model?: string };
  const thinking =
    text.includes('"reasoning_content"') ||
    text.includes('"reasoning_tokens"') ||
    first.model === 'deepseek-reasoner';
  const model = first.model === 'deepseek-v4-pro' ? 'deepseek-v4-pro' : 'deepseek-flash';
  const tools = text.includes('"tool_calls":[');
  const logprobs = /"logprobs":\{/.test(text);
  const finish = /"finish_reason":"(length|stop|tool_calls)"/.exec(text)?.[1];
  return {
    overrides: {
      model,
      ...(thinking ? {} : { thinking: { type: 'disabled' } }),
      ...(tools ? { tools: [{ type: 'function', function: { name: 'weather' } }] } : {}),
      ...(logprobs ? { logprobs: true, top_logprobs: 2 } : {}),
    },
    turn: tools
      ? { toolCalls: [{ name: 'weather', arguments: { location: 'San Francisco' } }] }
      : { content: 'Some answer text.', ...(finish === 'length' ? { finishReason: 'length' as const } : {}) },
  };
}

describe.skipIf(!hasFixtures)(
  'conformance: every capture in ../shared/fixtures/deepseek-wire (skipped when absent)',
  () => {
    let emulator: Emulator;
    beforeAll(async () => {
      emulator = await startEmulator();
    });
    afterAll(() => emulator.close());

    const missing = (capture: Set<string>, ours: Set<string>) =>
      [...capture].filter(
        (path) => !ours.has(path) && !SYNTHETIC_PATHS.some((pattern) => pattern.test(path)),
      );

    it.each(files)('%s', async (name) => {
      const raw = readFileSync(fixtures + name, 'utf8');
      if (name.startsWith('error-')) {
        const reply = await chat(emulator, { model: 'gpt-5.5' });
        expect([...paths(JSON.parse(raw))]).toEqual([...paths(reply.json)]);
        return;
      }
      if (name === 'models-list-v4.json') {
        expect(missing(paths(JSON.parse(raw)), paths((await send(emulator, '/models')).json))).toEqual([]);
        return;
      }
      if (name === 'user-balance.json') {
        expect(missing(paths(JSON.parse(raw)), paths((await send(emulator, '/user/balance')).json))).toEqual(
          [],
        );
        return;
      }
      const stream = !name.endsWith('.json');
      const parsed: unknown[] = name.endsWith('.sse')
        ? dataObjects(raw)
        : stream
          ? raw
              .split('\n')
              .filter((line) => line.trim() !== '')
              .map((line) => JSON.parse(line))
          : [JSON.parse(raw)];
      const { overrides, turn } = request(parsed);
      const includeUsage = stream && raw.includes('"usage":null');
      emulator.setScript([turn]);
      const reply = await chat(emulator, {
        ...overrides,
        ...(stream
          ? { stream: true, ...(includeUsage ? { stream_options: { include_usage: true } } : {}) }
          : {}),
      });
      expect(reply.status).toBe(200);
      const ours = new Set<string>();
      for (const item of stream ? dataObjects(reply.text) : [reply.json]) paths(item, '', ours);
      const capture = new Set<string>();
      for (const item of parsed) paths(item, '', capture);
      // Usage-only chunks (choices: []) exist only in a synthetic capture; real ones never have them.
      const real = [...capture].filter(
        (path) => !(name.startsWith('deepseek-logprobs') && path === '.choices:array'),
      );
      expect(missing(new Set(real), ours)).toEqual([]);
    });
  },
);
