/**
 * The two bench tools, the same for every framework: `step` is instant (the tool loop measures
 * framework overhead), `wait` sleeps (parallel tools). Frameworks with a schema system declare
 * them with zod; the hand-written loops use these JSON schemas and functions directly.
 */

export const STEP_DESCRIPTION = 'Advances the bench by one step.';
export const WAIT_DESCRIPTION = 'Waits for the given number of milliseconds.';

export function runStep(args: { n: number }): { next: number } {
  return { next: args.n + 1 };
}

export async function runWait(args: { ms: number }): Promise<{ slept: number }> {
  await new Promise((resolve) => setTimeout(resolve, args.ms));
  return { slept: args.ms };
}

/** The `tools` array of a chat request, for the hand-written loops. */
export const TOOL_DEFINITIONS = [
  {
    type: 'function' as const,
    function: {
      name: 'step',
      description: STEP_DESCRIPTION,
      parameters: {
        type: 'object',
        properties: { n: { type: 'integer' } },
        required: ['n'],
        additionalProperties: false,
      },
    },
  },
  {
    type: 'function' as const,
    function: {
      name: 'wait',
      description: WAIT_DESCRIPTION,
      parameters: {
        type: 'object',
        properties: { ms: { type: 'integer' } },
        required: ['ms'],
        additionalProperties: false,
      },
    },
  },
];

/** Runs a call of the hand-written loops: parse the arguments, run, serialize the result. */
export async function callTool(name: string, argumentsJson: string): Promise<string> {
  const args = JSON.parse(argumentsJson) as Record<string, unknown>;
  if (name === 'step' && typeof args.n === 'number') return JSON.stringify(runStep({ n: args.n }));
  if (name === 'wait' && typeof args.ms === 'number') return JSON.stringify(await runWait({ ms: args.ms }));
  return JSON.stringify({ error: `unknown tool ${name} or bad arguments ${argumentsJson}` });
}
