import type { Cost, Usage } from '@plumb/core';
import { type AnyTool, type InferToolArgs, type ToolContext, type ToolParameters, tool } from '@plumb/tools';
import { z } from 'zod';
import type { RunInput, RunOptions } from '../options/options.js';
import type { AgentFinishReason } from '../run/result.js';
import { SubRunOutput } from './sub-run.js';

/** Options of `agent.asTool()`. */
export interface AsToolOptions<P extends ToolParameters | undefined = undefined> {
  /** The tool name the parent model sees. @default the agent's name */
  name?: string | undefined;
  /** When the parent should delegate to this agent. */
  description: string;
  /** The arguments the parent model passes. @default z.object({ input: z.string() }) */
  parameters?: P | undefined;
  /** Turns the arguments into the sub-run's input. @default `args.input`, or the arguments as JSON */
  input?: ((args: P extends ToolParameters ? InferToolArgs<P> : { input: string }) => RunInput) | undefined;
  /** The sub-run's timeout in milliseconds (its signal is then aborted). */
  timeoutMs?: number | undefined;
  /** Whether a human must approve each delegation (in the parent run). */
  needsApproval?: boolean | undefined;
}

/** What `asTool` needs from the agent (kept structural to avoid an import cycle). */
interface Runnable {
  readonly name: string;
  run(
    input: RunInput,
    options?: RunOptions,
  ): Promise<{
    text: string;
    output: unknown;
    usage: Usage;
    cost: Cost | undefined;
    finishReason: AgentFinishReason;
  }>;
}

const defaultParameters = z.object({
  input: z.string().describe('The task or question for this agent, with every detail it needs.'),
});

/** Builds the tool behind `agent.asTool()`. */
export function agentTool<P extends ToolParameters | undefined>(
  agent: Runnable,
  options: AsToolOptions<P>,
): AnyTool {
  const toInput = options.input as ((args: unknown) => RunInput) | undefined;
  const built = tool({
    name: options.name ?? agent.name,
    description: options.description,
    parameters: (options.parameters ?? defaultParameters) as ToolParameters,
    timeoutMs: options.timeoutMs,
    needsApproval: options.needsApproval,
    execute: async (args: unknown, context: ToolContext) => {
      const input = toInput !== undefined ? toInput(args) : defaultInput(args);
      const result = await agent.run(input, { signal: context.signal, data: context.data });
      const answer = result.output !== undefined ? result.output : result.text;
      const value =
        result.finishReason === 'stop'
          ? answer
          : `[the sub-agent stopped early: ${result.finishReason}] ${result.text}`;
      return new SubRunOutput(value, result.usage, result.cost);
    },
  });
  return built as unknown as AnyTool;
}

function defaultInput(args: unknown): RunInput {
  const input = (args as { input?: unknown } | undefined)?.input;
  return typeof input === 'string' ? input : JSON.stringify(args);
}
