import { setMaxListeners } from 'node:events';
import { CASSETTE } from './cassette/cassette-player.js';
import { unusedTurnsMessage } from './chat/next-turn.js';
import { listen } from './http/listen.js';
import { createRequestHandler } from './server.js';
import { type EmulatorState, resetSlots } from './state.js';
import type { Emulator, EmulatorOptions, GlobalFault } from './types.js';
import { CONTEXT_WINDOW } from './wire/errors.js';
import { createIdSource } from './wire/ids.js';

function checkOptions(options: EmulatorOptions): void {
  const { port, apiKey, concurrencyLimit, script, contextWindow, maxLoggedRequests } = options;
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65_535)) {
    throw new TypeError(`Expected \`port\` to be an integer from 0 to 65535, got ${port}.`);
  }
  if (apiKey !== undefined && (typeof apiKey !== 'string' || apiKey.trim() === '' || /\s/.test(apiKey))) {
    throw new TypeError('Expected `apiKey` to be a non-empty string without spaces, e.g. "sk-test".');
  }
  if (concurrencyLimit !== undefined && (!Number.isInteger(concurrencyLimit) || concurrencyLimit < 1)) {
    throw new TypeError(`Expected \`concurrencyLimit\` to be a positive integer, got ${concurrencyLimit}.`);
  }
  if (maxLoggedRequests !== undefined && (!Number.isInteger(maxLoggedRequests) || maxLoggedRequests < 0)) {
    throw new TypeError(
      `Expected \`maxLoggedRequests\` to be an integer >= 0 (how many recent requests \`emulator.requests\` keeps), got ${maxLoggedRequests}.`,
    );
  }
  if (contextWindow !== undefined && (!Number.isInteger(contextWindow) || contextWindow < 1)) {
    throw new TypeError(`Expected \`contextWindow\` to be a positive integer, got ${contextWindow}.`);
  }
  if (script !== undefined && !Array.isArray(script) && typeof script !== 'function') {
    throw new TypeError(
      'Expected `script` to be an array of turns or a function (request, context) => turn.',
    );
  }
}

function faultEntry(fault: GlobalFault): EmulatorState['faults'][number] {
  return { fault, remaining: fault.times ?? Number.POSITIVE_INFINITY };
}

/**
 * Starts a DeepSeek API emulator: a real `node:http` server on loopback that speaks DeepSeek's wire
 * format (chat, FIM, models, balance, search/fetch), enforces its request rules with its error
 * texts, and answers from a script, a cassette, or generically.
 *
 * @example
 * const emulator = await startEmulator({ script: [{ content: 'Hello!' }] });
 * const client = new OpenAI({ baseURL: emulator.url, apiKey: emulator.apiKey });
 * await client.chat.completions.create({ model: 'deepseek-flash', messages: [{ role: 'user', content: 'Hi' }] });
 * emulator.assertDone();
 * await emulator.close();
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  checkOptions(options);
  const state: EmulatorState = {
    options,
    apiKey: options.apiKey ?? 'sk-test',
    ids: createIdSource(options.seed),
    now: options.now ?? Date.now,
    contextWindow: options.contextWindow ?? CONTEXT_WINDOW,
    requests: [],
    received: 0,
    failures: [],
    script: options.script,
    nextTurn: 0,
    turnsServed: 0,
    faults: (options.faults ?? []).map(faultEntry),
    inFlight: 0,
    closing: new AbortController(),
    slots: new Map(),
  };
  CASSETTE.of(state); // a cassette that cannot be read fails here, not at the first request
  // Every in-flight request listens for close(); hundreds of concurrent agents are normal here.
  setMaxListeners(0, state.closing.signal);
  const listening = await listen(createRequestHandler(state), options.port ?? 0, options.host ?? '127.0.0.1');

  return {
    url: listening.url,
    port: listening.port,
    apiKey: state.apiKey,
    requests: state.requests,
    failures: state.failures,
    turnsServed: () => state.turnsServed,
    assertDone() {
      const problems = state.failures.map((failure) => failure.message);
      if (Array.isArray(state.script)) {
        const unused = unusedTurnsMessage(state.script, state.nextTurn);
        if (unused) problems.push(unused);
      }
      const unreplayed = CASSETTE.of(state)?.unusedMessage();
      if (unreplayed) problems.push(unreplayed);
      if (problems.length > 0) {
        throw new Error(
          `plumb emulator is not done:\n${problems.map((problem) => `- ${problem}`).join('\n')}`,
        );
      }
    },
    setScript(script) {
      state.script = script;
      state.nextTurn = 0;
    },
    addFault(fault) {
      state.faults.push(faultEntry(fault));
    },
    reset() {
      state.requests.length = 0;
      state.received = 0;
      state.failures.length = 0;
      state.nextTurn = 0;
      state.turnsServed = 0;
      resetSlots(state);
    },
    async close() {
      state.closing.abort();
      await listening.close();
    },
  };
}
