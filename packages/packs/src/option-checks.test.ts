import { describe, expect, it } from 'vitest';
import { deepseekWebPack } from './deepseek-web/deepseek-web-pack.js';
import { PackConfigError } from './errors.js';
import { fsPack } from './fs/fs-pack.js';
import { httpPack } from './http/http-pack.js';
import { mathPack } from './math/math-pack.js';
import { timePack } from './time/time-pack.js';

const root = process.cwd();
const client = { web: { search: async () => ({}), fetch: async () => ({}) } } as never;

function configError(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(PackConfigError);
    return (error as Error).message;
  }
  throw new Error('the options were accepted');
}

describe('pack options of the wrong type are errors naming the option and what it got', () => {
  it.each([
    [
      () => fsPack({ root, allowWrite: 'yes' as never }),
      'fsPack: allowWrite must be true or false, got a string ("yes").',
    ],
    [
      () => fsPack({ root, approveWrites: 0 as never }),
      'fsPack: approveWrites must be true or false, got a number (0).',
    ],
    [
      () => fsPack({ root, allowHardLinks: 'no' as never }),
      'fsPack: allowHardLinks must be true or false, got a string ("no").',
    ],
    [
      () => fsPack({ root, maxReadBytes: '64k' as never }),
      'fsPack: maxReadBytes must be a positive whole number, got a string ("64k").',
    ],
    [
      () => fsPack({ root, ignore: ['.git', 3] as never }),
      'fsPack: ignore must be an array of strings, got an array.',
    ],
    [
      () => fsPack({ root, prefix: 1 as never }),
      'fsPack: prefix must be true or false, or a string, got a number (1).',
    ],
    [
      () => fsPack({ root, needsApproval: 'always' as never }),
      'fsPack: needsApproval must be true or false, or a function, got a string ("always").',
    ],
    [
      () => httpPack({ allowPrivate: 'true' as never }),
      'httpPack: allowPrivate must be true or false, got a string ("true").',
    ],
    [
      () => httpPack({ allowHosts: 'localhost' as never }),
      'httpPack: allowHosts must be an array of strings, got a string ("localhost").',
    ],
    [
      () => httpPack({ maxRedirects: -1 }),
      'httpPack: maxRedirects must be a whole number, 0 or more, got a number (-1).',
    ],
    [() => httpPack({ headers: 'x' as never }), 'httpPack: headers must be an object, got a string ("x").'],
    [
      () => mathPack({ maxDepth: null as never }),
      'mathPack: maxDepth must be a positive whole number, got null.',
    ],
    [() => timePack({ locale: ['fr'] as never }), 'timePack: locale must be a string, got an array.'],
    [
      () => deepseekWebPack({ client, maxCount: '10' as never }),
      'deepseekWebPack: maxCount must be a positive whole number, got a string ("10").',
    ],
  ])('%#', (build, message) => {
    expect(configError(build)).toBe(message);
  });
});

describe('unknown pack options are errors with a did-you-mean', () => {
  it.each([
    [
      () => fsPack({ root, allowWrites: true } as never),
      'fsPack: unknown option "allowWrites": did you mean allowWrite?',
    ],
    [() => fsPack({ root, maxReadByte: 10 } as never), 'did you mean maxReadBytes?'],
    [
      () => httpPack({ allowAddress: ['127.0.0.1'] } as never),
      'httpPack: unknown option "allowAddress": did you mean allowAddresses?',
    ],
    [() => mathPack({ maxLen: 5 } as never), 'mathPack: unknown option "maxLen"'],
    [
      () => timePack({ timezone: 'UTC' } as never),
      'timePack: unknown option "timezone": did you mean timeZone?',
    ],
    [() => deepseekWebPack({ client, count: 5 } as never), 'deepseekWebPack: unknown option "count"'],
  ])('%#', (build, message) => {
    const text = configError(build);
    expect(text).toContain(message);
    expect(text).toContain('Known options: ');
  });

  it('a non-object options argument is an error too', () => {
    expect(configError(() => mathPack('strict' as never))).toBe(
      'mathPack: the options must be an object, got a string ("strict").',
    );
  });

  it('undefined values count as not given', () => {
    expect(() => fsPack({ root, allowWrite: undefined, prefix: undefined })).not.toThrow();
  });
});
