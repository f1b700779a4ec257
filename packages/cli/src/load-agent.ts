import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Agent } from '@plumb/agent';
import type { DeepSeek } from '@plumb/core';
import type { Script } from '@plumb/testing';
import { tsImport } from 'tsx/esm/api';
import { CliError } from './errors.js';

/** What an agent module may export. */
export interface AgentModule {
  /** The agent (default export or `agent`). */
  // biome-ignore lint/suspicious/noExplicitAny: any agent, whatever its output schema.
  agent: Agent<any> | undefined;
  /** A factory `({ client }) => Agent` (default export or `createAgent`): used to point it at another server. */
  // biome-ignore lint/suspicious/noExplicitAny: any agent, whatever its output schema.
  createAgent: ((context: { client: DeepSeek }) => Agent<any> | Promise<Agent<any>>) | undefined;
  /** What the emulator answers offline (`export const turns = [...]`); generic answers when absent. */
  turns: Script | undefined;
}

function isAgent(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { stream?: unknown }).stream === 'function'
  );
}

/**
 * Imports a TypeScript or JavaScript module (through tsx, so `.ts` needs no build step) and
 * finds its agent: a default or `agent` export that is an Agent, or a default or `createAgent`
 * export that is a function returning one.
 */
export async function loadAgentModule(file: string): Promise<AgentModule> {
  const path = resolve(file);
  if (!existsSync(path)) throw new CliError(`Agent module not found: ${file} (resolved to ${path}).`);
  const exports = (await tsImport(pathToFileURL(path).href, import.meta.url)) as Record<string, unknown>;
  const candidates = [exports.default, exports.agent, exports.createAgent];
  const agent = candidates.find(isAgent) as AgentModule['agent'];
  const factory = candidates.find((value) => typeof value === 'function') as AgentModule['createAgent'];
  if (agent === undefined && factory === undefined) {
    throw new CliError(
      `${file} exports no agent: export default new Agent({...}) (or export const agent), ` +
        'or export a function ({ client }) => new Agent({ client, ... }) as default or createAgent.',
    );
  }
  const turns = exports.turns;
  if (turns !== undefined && !Array.isArray(turns) && typeof turns !== 'function') {
    throw new CliError(`${file}: \`turns\` must be an array of emulator turns or a function of the request.`);
  }
  return { agent, createAgent: factory, turns: turns as Script | undefined };
}
