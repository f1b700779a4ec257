import { type AnyTool, jsonSchema, MAX_TOOLS, type ToolContext, tool } from '@plumb/tools';
import { McpToolSetError } from './errors.js';
import { modelNames } from './names.js';
import type { McpBaseOptions, McpToolFilter, McpToolInfo } from './options.js';
import { schemaValidator } from './validate.js';

/** Calls one tool on the server; `args` are validated already. */
export type CallTool = (
  info: McpToolInfo,
  args: Record<string, unknown>,
  context: ToolContext,
) => Promise<unknown>;

function matches(filter: McpToolFilter, info: McpToolInfo): boolean {
  if (typeof filter === 'function') return filter(info) === true;
  return filter.some((entry) => (typeof entry === 'string' ? entry === info.name : entry.test(info.name)));
}

/** The server's tools after `include` and `exclude`, sorted by name (a stable request prefix). */
function selectTools(infos: readonly McpToolInfo[], options: McpBaseOptions): McpToolInfo[] {
  const seen = new Set<string>();
  const kept: McpToolInfo[] = [];
  for (const info of infos) {
    if (seen.has(info.name)) continue; // a server listing a name twice: the first wins
    seen.add(info.name);
    if (options.include !== undefined && !matches(options.include, info)) continue;
    if (options.exclude !== undefined && matches(options.exclude, info)) continue;
    kept.push(info);
  }
  return kept.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The prefix of the model's tool names (`''` for none). */
function prefixOf(options: McpBaseOptions): string {
  if (options.prefix === false) return '';
  return typeof options.prefix === 'string' ? options.prefix : options.name;
}

function describeFor(info: McpToolInfo, override: string | undefined): string {
  if (override !== undefined) return override;
  return info.description ?? info.annotations?.title ?? info.title ?? '';
}

/**
 * Builds the plumb tools for a server's tool list: names sanitized and prefixed, JSON Schema
 * inputs validated with ajv, MCP hints mapped (`destructiveHint: true` -> needs approval,
 * `readOnlyHint: true` -> may run in parallel; anything else runs alone), per-tool overrides on
 * top. Fails, naming the option to use, with more than 128 tools, and in strict mode with every
 * tool whose schema does not fit DeepSeek's strict subset.
 * @throws McpToolSetError
 */
export function buildTools(
  infos: readonly McpToolInfo[],
  options: McpBaseOptions,
  call: CallTool,
): AnyTool[] {
  const server = options.name;
  const selected = selectTools(infos, options);
  if (selected.length > MAX_TOOLS) {
    throw new McpToolSetError(
      server,
      `MCP server "${server}" offers ${selected.length} tools; DeepSeek accepts at most ${MAX_TOOLS} per request. Keep the ones the agent needs with the \`include\` option of connectMcp (or leave some out with \`exclude\`), e.g. include: [${selected
        .slice(0, 2)
        .map((info) => JSON.stringify(info.name))
        .join(', ')}, ...].`,
    );
  }
  const names = modelNames(
    selected.map((info) => info.name),
    prefixOf(options),
  );
  const problems: { tool: string; reason: string }[] = [];
  const tools: AnyTool[] = [];
  for (const info of selected) {
    const override = options.tools?.[info.name];
    const hints = info.annotations;
    try {
      const built = tool({
        name: names.get(info.name) as string,
        description: describeFor(info, override?.description),
        parameters: jsonSchema<Record<string, unknown>>(info.inputSchema, {
          validate: schemaValidator(info.inputSchema),
        }),
        strict: options.strict === true,
        timeoutMs: override?.timeoutMs ?? options.timeoutMs, // unset: the agent's toolTimeoutMs applies
        maxResultChars: options.maxResultChars,
        needsApproval: override?.needsApproval ?? hints?.destructiveHint === true,
        parallel: override?.parallel ?? hints?.readOnlyHint === true,
        execute: (args, context) => call(info, args, context),
      });
      tools.push(built as unknown as AnyTool);
    } catch (error) {
      problems.push({ tool: info.name, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  if (problems.length > 0) {
    const list = problems.map((problem) => `- ${problem.tool}: ${problem.reason}`).join('\n');
    const names = problems.map((problem) => JSON.stringify(problem.tool)).join(', ');
    const why =
      options.strict === true
        ? `DeepSeek strict mode is all-or-nothing per request, and ${problems.length} of the ${selected.length} tools of MCP server "${server}" do not fit its strict subset:\n${list}\nLeave them out with exclude: [${names}], or connect with strict: false.`
        : `${problems.length} tools of MCP server "${server}" cannot be offered to DeepSeek:\n${list}\nLeave them out with exclude: [${names}].`;
    throw new McpToolSetError(server, why, problems);
  }
  return tools;
}
