import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Options of `scaffold()`. */
export interface ScaffoldOptions {
  /** The new project's folder (created; must be absent or empty). */
  directory: string;
  /** The version range of the plumb packages. @default `^<this package's version>` */
  plumbVersion?: string | undefined;
}

/** A project name npm accepts: lower case, no spaces, at most 214 characters. */
const NAME = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

export class ScaffoldError extends Error {
  override name = 'ScaffoldError';
}

const TEMPLATE = fileURLToPath(new URL('../template/', import.meta.url));
/** npm drops `.gitignore` from published tarballs, so the template keeps it as `gitignore`. */
const RENAMED: Record<string, string> = { gitignore: '.gitignore' };

function ownVersion(): string {
  const json = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return json.version;
}

function files(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? files(path, `${prefix}${entry}/`) : [`${prefix}${entry}`];
  });
}

/** Writes a new project from the template; returns the files written (relative paths). */
export function scaffold(options: ScaffoldOptions): string[] {
  const target = resolve(options.directory);
  const name = basename(target);
  if (!NAME.test(name) || name.length > 214) {
    throw new ScaffoldError(
      `"${name}" is not a valid npm package name: use lower case letters, digits, '-', '.' or '_' (e.g. my-agent).`,
    );
  }
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new ScaffoldError(`${target} is not empty: pick a new folder name.`);
  }
  const version = options.plumbVersion ?? `^${ownVersion()}`;
  const written: string[] = [];
  for (const file of files(TEMPLATE)) {
    const parts = file.split('/');
    const last = parts.pop() as string;
    const out = [...parts, RENAMED[last] ?? last].join('/');
    const text = readFileSync(join(TEMPLATE, file), 'utf8')
      .replaceAll('__NAME__', name)
      .replaceAll('__PLUMB_VERSION__', version);
    mkdirSync(join(target, ...parts), { recursive: true });
    writeFileSync(join(target, out), text);
    written.push(out);
  }
  return written.sort();
}
