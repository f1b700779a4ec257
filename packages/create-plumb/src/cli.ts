import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ScaffoldError, scaffold } from './scaffold.js';

export const USAGE = `Usage: npm create plumb@latest <directory>
       create-plumb <directory> [--plumb-version <range>]

Scaffolds a plumb agent project: an agent, a custom tool pack, tests against the DeepSeek
emulator, tsx scripts and a README. Then: cd <directory> && npm install && npm test

Options:
  --plumb-version <range>  version range of the plumb packages (default: this version)
  -h, --help               show this help`;

interface Io {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** The `create-plumb` command; returns the exit code. */
export async function main(argv: string[] = process.argv.slice(2), io: Io = process): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { 'plumb-version': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const [directory] = positionals;
    if (directory === undefined) {
      io.stderr.write(`create-plumb: name the new project's folder.\n\n${USAGE}\n`);
      return 2;
    }
    const written = scaffold({ directory, plumbVersion: values['plumb-version'] });
    const shown = relative(process.cwd(), resolve(directory)) || '.';
    io.stdout.write(
      `Created ${shown}: ${written.join(', ')}\n\nNext:\n  cd ${shown}\n  npm install\n  npm test\n  npm run ask -- "Remember: buy oat milk"\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ScaffoldError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`create-plumb: ${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  }
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(resolve(entry)).href) {
  void main().then((code) => {
    process.exitCode = code;
  });
}
