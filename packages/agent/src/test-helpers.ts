import { DeepSeek } from '@plumb/core';
import {
  type Emulator,
  type EmulatorOptions,
  type RecordedRequest,
  startEmulator,
  type Turn,
} from '@plumb/testing';
import { tool } from '@plumb/tools';
import { afterEach } from 'vitest';
import { z } from 'zod';

/** Test-only helpers (excluded from the build). */

const open: Emulator[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((emulator) => emulator.close()));
});

/** Starts an emulator on loopback, closed after the test. */
export async function emulate(options: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = await startEmulator({ port: 0, apiKey: 'sk-test', ...options });
  open.push(emulator);
  return emulator;
}

/** A real client pointed at the emulator, without retries unless asked. */
export function clientFor(emulator: Emulator, maxRetries = 0): DeepSeek {
  return new DeepSeek({ apiKey: 'sk-test', baseURL: emulator.url, maxRetries });
}

/** The chat-completion requests (not models/balance calls), in order. */
export function chatRequests(emulator: Emulator): RecordedRequest[] {
  return emulator.requests.filter((request) => request.path.endsWith('/chat/completions'));
}

/** The serialized `messages` array of a request, checked to appear verbatim in its raw body. */
export function rawMessages(request: RecordedRequest): string {
  const text = JSON.stringify(request.body.messages);
  if (!request.rawBody.includes(text))
    throw new Error(`request #${request.index}: messages not found verbatim in the raw body`);
  return text;
}

/** The serialized `tools` array of a request. */
export function rawTools(request: RecordedRequest): string {
  const text = JSON.stringify(request.body.tools);
  if (!request.rawBody.includes(text))
    throw new Error(`request #${request.index}: tools not found verbatim in the raw body`);
  return text;
}

/** A weather tool that records its calls. */
export function weatherTool(calls: string[] = []) {
  return tool({
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: z.object({ city: z.string() }),
    execute: async ({ city }) => {
      calls.push(city);
      return { city, celsius: 21 };
    },
  });
}

/** Resolves after `ms` milliseconds (small values only). */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * An emulator script for a parent agent that delegates to a sub-agent tool `researcher` (system
 * prompt starting with "Researcher"): the researcher looks up the weather in Paris, then answers
 * "Paris is at 21C"; the parent calls `researcher` once per input in one turn, then answers.
 */
export function delegationScript(inputs: readonly string[] = ['Weather in Paris?']) {
  return (request: RecordedRequest): Turn => {
    const system = request.body.messages[0]?.content ?? '';
    const last = request.body.messages.at(-1);
    if (system.startsWith('Researcher')) {
      return last.role === 'tool'
        ? { content: 'Paris is at 21C' }
        : { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] };
    }
    return last.role === 'tool'
      ? { content: 'The researcher says: 21C' }
      : { toolCalls: inputs.map((input) => ({ name: 'researcher', arguments: { input } })) };
  };
}
