// @noble/hashes, not node:crypto: the agent runs on Bun, Deno and Cloudflare Workers too, and the
// fingerprint is computed synchronously (Web Crypto's digest is async).
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { type AnyTool, isDynamicToolPack, resolveTools, type ToolPack, type ToolSet } from '@plumb/tools';
import { RunStateError } from '../errors.js';
import type { ToolsChangedEvent } from '../run/events.js';

/**
 * The tools of one run. Packs whose tools can change (`dynamicToolPack`, e.g. an MCP server that
 * sent `tools/list_changed`) are re-read at step boundaries only, so every request of a step and
 * every call it makes see one tool set; a change breaks the cached prefix and is reported.
 */
export interface LiveTools {
  set: ToolSet;
  /** The dynamic packs' revisions the set was built from. */
  revisions: string;
}

type ToolItems = ReadonlyArray<AnyTool | ToolPack>;

function revisionsOf(items: ToolItems): string {
  let key = '';
  for (const item of items) if (isDynamicToolPack(item)) key += `${item.name}@${item.revision};`;
  return key;
}

/** The run's starting tool set: the agent's, or a fresh one when a dynamic pack changed since. */
export function liveTools(items: ToolItems, initial: ToolSet): LiveTools {
  const revisions = revisionsOf(items);
  const live: LiveTools = { set: initial, revisions: '' };
  if (revisions === '') return live;
  live.set = resolveTools(items);
  live.revisions = revisions;
  return live;
}

/**
 * Waits for the dynamic packs' pending changes (see `DynamicToolPack.settled`); undefined, with
 * nothing to wait for, when no pack can change (the common case: no promise per step).
 */
export function settleTools(items: ToolItems): Promise<void> | undefined {
  for (const item of items) if (isDynamicToolPack(item) && item.settled !== undefined) return settle(items);
  return undefined;
}

async function settle(items: ToolItems): Promise<void> {
  for (const item of items) if (isDynamicToolPack(item) && item.settled !== undefined) await item.settled();
}

/**
 * Called before each model request: when a dynamic pack's revision changed, resolves the tools
 * again and returns what changed (undefined when nothing did). A set DeepSeek would reject (a
 * name collision, more than 128 tools) throws `resolveTools`'s `ToolDefinitionError`, which fails
 * the run with an `AgentRunError` that keeps everything done so far.
 */
export function refreshTools(
  live: LiveTools,
  items: ToolItems,
  stepIndex: number,
): ToolsChangedEvent | undefined {
  const revisions = revisionsOf(items);
  if (revisions === live.revisions) return undefined;
  const before = live.set;
  const after = resolveTools(items);
  live.set = after;
  live.revisions = revisions;
  const previous = new Map(before.tools.map((tool) => [tool.name, tool.definition]));
  const added: string[] = [];
  const changed: string[] = [];
  for (const tool of after.tools) {
    const old = previous.get(tool.name);
    if (old === undefined) added.push(tool.name);
    else if (JSON.stringify(old) !== JSON.stringify(tool.definition)) changed.push(tool.name);
    previous.delete(tool.name);
  }
  return { type: 'tools-changed', stepIndex, added, removed: [...previous.keys()], changed };
}

function fingerprint(tools: readonly AnyTool[]): string {
  const hash = sha256.create();
  for (const tool of tools) hash.update(utf8ToBytes(JSON.stringify(tool.definition)));
  return bytesToHex(hash.digest()).slice(0, 32);
}

/** The fingerprints a paused run pins: one per dynamic pack, of its tool definitions. */
export function pinTools(items: ToolItems): Record<string, string> | undefined {
  let pins: Record<string, string> | undefined;
  for (const item of items) {
    if (!isDynamicToolPack(item)) continue;
    pins ??= {};
    pins[item.name] = fingerprint(item.tools);
  }
  return pins;
}

/**
 * Fails closed when a paused run is resumed against tools that changed: the pending calls were
 * planned (and approved) against the definitions the run was paused with.
 * @throws RunStateError naming the pack.
 */
export function checkPinnedTools(pins: Record<string, string> | undefined, items: ToolItems): void {
  if (pins === undefined) return;
  for (const [name, pinned] of Object.entries(pins)) {
    const pack = items.find((item) => isDynamicToolPack(item) && item.name === name) as ToolPack | undefined;
    if (pack === undefined) {
      throw new RunStateError(
        `This run was paused with the tools of "${name}", which the resuming agent does not have. Resume with an agent that has "${name}" in its tools, or start a new run.`,
      );
    }
    if (fingerprint(pack.tools) !== pinned) {
      throw new RunStateError(
        `The tools of "${name}" changed since this run was paused (tool definitions fingerprint ${pinned} then, ${fingerprint(pack.tools)} now), so the paused calls are not run against them. Start a new run (or continue from result.messages) with the new tools.`,
      );
    }
  }
}
