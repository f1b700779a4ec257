import { readFileSync } from 'node:fs';
import type { Framework, Target } from './types.js';

/**
 * Every framework of the bench, loaded lazily so a child process (many agents) imports only the
 * one it measures, and a framework that cannot load is shown as skipped instead of failing all.
 */
export interface FrameworkEntry {
  name: string;
  /** Packages whose versions the table records. */
  packages: string[];
  /** What a program imports to run a tool-calling agent with it (cold start). */
  imports: string[];
  load(): Promise<(target: Target, versions: Record<string, string>) => Framework>;
}

export const FRAMEWORKS: FrameworkEntry[] = [
  {
    name: 'floor',
    packages: [],
    imports: [],
    load: async () => (await import('./floor.js')).floor,
  },
  {
    name: 'plumb',
    packages: ['@plumb/core', '@plumb/tools', '@plumb/agent', 'zod'],
    imports: ['@plumb/core', '@plumb/tools', '@plumb/agent', 'zod'],
    load: async () => (await import('./plumb.js')).plumb,
  },
  {
    name: 'openai',
    packages: ['openai'],
    imports: ['openai'],
    load: async () => (await import('./openai.js')).openai,
  },
  {
    name: 'ai',
    packages: ['ai', '@ai-sdk/deepseek', 'zod'],
    imports: ['ai', '@ai-sdk/deepseek', 'zod'],
    load: async () => (await import('./ai-sdk.js')).aiSdk,
  },
  {
    name: '@openai/agents',
    packages: ['@openai/agents', 'openai', 'zod'],
    imports: ['@openai/agents', 'openai', 'zod'],
    load: async () => (await import('./openai-agents.js')).openaiAgents,
  },
];

/** The installed version of a dependency of this package (read from its package.json on disk). */
function packageVersion(name: string): string {
  try {
    const file = new URL(`../../node_modules/${name}/package.json`, import.meta.url);
    return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? '?';
  } catch {
    return 'not installed';
  }
}

export function versionsOf(entry: FrameworkEntry): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const name of entry.packages) versions[name] = packageVersion(name);
  return versions;
}
