import { afterEach, beforeEach } from 'vitest';

const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
type Method = (typeof methods)[number];
const originals = new Map<Method, (...args: unknown[]) => void>();
let calls: string[] = [];

// A test that writes to the console without asking fails: stray logs hide real output and
// usually mean a code path logs where it should return or throw. Tests that expect output
// spy on console themselves (vi.spyOn replaces this guard for that method).
beforeEach(() => {
  calls = [];
  for (const method of methods) {
    originals.set(method, console[method]);
    console[method] = (...args: unknown[]) => {
      calls.push(`console.${method}(${args.map((arg) => String(arg)).join(' ')})`);
    };
  }
});

afterEach(() => {
  for (const [method, original] of originals) console[method] = original;
  if (calls.length > 0) {
    const seen = calls.join('\n');
    calls = [];
    throw new Error(`Unexpected console output in this test:\n${seen}`);
  }
});
