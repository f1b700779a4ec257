import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TRANSPORTS } from '../test-helpers.js';

/**
 * A streamed request's body text (the whole history: megabytes in a long run) is released once
 * the answer started, since no retry can follow. Checked in a child `node --expose-gc` by a heap
 * snapshot after a full GC (__fixtures__/body-release.ts): the body is reachable while the
 * request may still be retried, and no longer once the first chunk arrived. Before the fix both
 * plumb's request object and Node's fetch (undici keeps a string body as `request.body.source`
 * for the response's life) held it. Checked over both transports (node:http, fetch).
 */
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe.each(TRANSPORTS)(
  `the request body of a started stream, %s transport (node ${process.version})`,
  (transport) => {
    it('is held until the answer starts, and released after', async () => {
      const stdout = await new Promise<string>((resolve, reject) => {
        execFile(
          process.execPath,
          [
            '--expose-gc',
            '--conditions=@plumb/source',
            '--import',
            'tsx',
            'src/__fixtures__/body-release.ts',
          ],
          {
            cwd: packageDir,
            timeout: 60_000,
            env: { ...process.env, DEEPSEEK_API_KEY: '', PLUMB_LOG: '', PLUMB_TEST_TRANSPORT: transport },
          },
          (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
        );
      });
      const line = stdout.split('\n').find((each) => each.startsWith('{'));
      expect(JSON.parse(line ?? '{}')).toEqual({ before: true, started: false });
    }, 70_000);
  },
);
