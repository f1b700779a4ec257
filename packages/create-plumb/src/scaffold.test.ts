import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from './cli.js';
import { ScaffoldError, scaffold } from './scaffold.js';

const root = mkdtempSync(join(tmpdir(), 'create-plumb-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function buffers() {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      stdout: { write: (text: string) => (out.stdout += text) },
      stderr: { write: (text: string) => (out.stderr += text) },
    },
  };
}

describe('create-plumb', () => {
  it('scaffolds an agent, a tool pack, emulator tests, tsx scripts and a README', () => {
    const dir = join(root, 'my-agent');
    const written = scaffold({ directory: dir });
    expect(written).toEqual([
      '.gitignore',
      'README.md',
      'package.json',
      'src/agent.test.ts',
      'src/agent.ts',
      'src/demo.ts',
      'src/tools/notes-pack.ts',
      'tsconfig.json',
    ]);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('my-agent');
    expect(pkg.dependencies['@plumb/agent']).toBe('^0.1.0');
    expect(pkg.devDependencies.plumb).toBe('^0.1.0');
    expect(pkg.scripts).toMatchObject({
      test: 'vitest run',
      ask: 'plumb run src/agent.ts',
      demo: 'tsx src/demo.ts',
    });
    expect(readFileSync(join(dir, 'src/agent.ts'), 'utf8')).toContain("name: 'my-agent'");
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toMatch(/^# my-agent\n/);
    expect(JSON.stringify(written)).not.toContain('__');
    for (const file of written)
      expect(readFileSync(join(dir, file), 'utf8')).not.toMatch(/__(NAME|PLUMB_VERSION)__/);
  });

  it('refuses a folder that is not empty and a name npm would refuse', () => {
    const full = join(root, 'full');
    mkdirSync(full);
    writeFileSync(join(full, 'keep.txt'), 'mine');
    expect(() => scaffold({ directory: full })).toThrow(/not empty/);
    expect(readFileSync(join(full, 'keep.txt'), 'utf8')).toBe('mine');
    expect(() => scaffold({ directory: join(root, 'My Agent') })).toThrow(ScaffoldError);
  });

  it('the command: --help, a missing folder is exit 2, --plumb-version pins the packages', async () => {
    const help = buffers();
    expect(await main(['--help'], help.io)).toBe(0);
    expect(help.out.stdout).toContain('npm create plumb@latest <directory>');
    const missing = buffers();
    expect(await main([], missing.io)).toBe(2);
    expect(missing.out.stderr).toContain("name the new project's folder");
    const pinned = buffers();
    const dir = join(root, 'pinned');
    expect(await main([dir, '--plumb-version', 'file:../tarballs'], pinned.io)).toBe(0);
    expect(pinned.out.stdout).toContain('npm test');
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies['@plumb/core']).toBe(
      'file:../tarballs',
    );
  });
});
