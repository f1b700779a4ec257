import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

describe('createLogger', () => {
  it("has pino's redact censor secret paths (structured fields; text is scrubbed in redact.ts)", async () => {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => lines.push(line) });
    await logger.ready;
    logger.info(
      {
        apiKey: 'sk-abcdefghijkl',
        request: { apiKey: 'sk-abcdefghijkl', headers: { authorization: 'Bearer x' } },
      },
      'hello',
    );
    const entry = JSON.parse(lines[0]!);
    expect(entry.apiKey).toBe('[redacted]');
    expect(entry.request.apiKey).toBe('[redacted]');
    expect(entry.request.headers.authorization).toBe('[redacted]');
    expect(lines[0]).not.toContain('sk-abcdefghijkl');
  });
});
