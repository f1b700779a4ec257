import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeepSeek } from '@plumb/core';
import { type Emulator, type EmulatorOptions, startEmulator } from '@plumb/testing';
import { sqliteUnavailableReason } from '@plumb/testing/sqlite';
import { tool } from '@plumb/tools';
import { afterEach } from 'vitest';
import { z } from 'zod';

/** Test-only helpers (excluded from the build). */

const cleanups: Array<() => unknown> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Starts an emulator on loopback, closed after the test. */
export async function emulate(options: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = await startEmulator({ port: 0, apiKey: 'sk-test', ...options });
  cleanups.push(() => emulator.close());
  return emulator;
}

/** A real client pointed at the emulator. */
export function clientFor(emulator: Emulator): DeepSeek {
  return new DeepSeek({ apiKey: 'sk-test', baseURL: emulator.url, maxRetries: 0 });
}

/** A fresh temporary folder, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'plumb-recorder-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs `cleanup` after the test. */
export function after(cleanup: () => unknown): void {
  cleanups.push(cleanup);
}

/** A weather tool. */
export function weatherTool() {
  return tool({
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: z.object({ city: z.string() }),
    execute: async ({ city }) => ({ city, celsius: 21 }),
  });
}

/**
 * Why the SQLite tests cannot run on this Node, or undefined: CI runs the suite again on Node 24,
 * where the better-sqlite3 build of `pnpm install` (for Node 20) cannot load.
 */
export const sqliteSkipReason: string | undefined = sqliteUnavailableReason(import.meta.url);
