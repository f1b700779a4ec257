// A tsx script: `npm run demo`. Uses the real API with DEEPSEEK_API_KEY, the emulator without.
import { DeepSeek } from '@plumb/core';
import { startEmulator } from '@plumb/testing';
import { createAgent, turns } from './agent.js';

const offline = !process.env.DEEPSEEK_API_KEY;
const emulator = offline ? await startEmulator({ script: turns }) : undefined;
const client = emulator ? new DeepSeek({ apiKey: emulator.apiKey, baseURL: emulator.url }) : new DeepSeek();
try {
  if (offline) console.log('offline: DeepSeek emulator (set DEEPSEEK_API_KEY for the real model)');
  const result = await createAgent({ client }).run('Remember: buy oat milk');
  console.log(result.text);
  console.log(`tokens: ${result.usage.total_tokens}, cost: ${result.cost?.total ?? 'unknown'}`);
} finally {
  await emulator?.close();
}
