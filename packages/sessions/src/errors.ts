import { AgentError } from '@plumb/agent';

/** A store could not be opened: its driver is not installed, or the database refused. */
export class SessionStoreError extends AgentError {}

/** Loads an optional peer dependency, with an install hint when it is missing. */
export async function loadDriver(name: 'better-sqlite3' | 'pg', version: string): Promise<unknown> {
  // A variable specifier: the driver stays optional for bundlers and for the type checker.
  const specifier: string = name;
  try {
    const module = (await import(specifier)) as { default?: unknown };
    return module.default ?? module;
  } catch (error) {
    throw new SessionStoreError(
      `This session store needs the \`${name}\` package, which could not be loaded (${(error as Error).message}). Install it: npm install ${name}@${version}`,
      { cause: error },
    );
  }
}
