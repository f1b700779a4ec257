import { type ToolPack, tool, toolPack } from '@plumb/tools';
import { z } from 'zod/v4';
import { COMMON_OPTIONS, checkPackOptions, POSITIVE_INTEGER } from '../option-checks.js';
import { type CommonPackOptions, packDefaults, positiveInteger } from '../pack-options.js';
import { calculate } from './calculate.js';

/** Options of {@link mathPack}. */
export interface MathPackOptions extends CommonPackOptions {
  /** Longest expression accepted, in characters. Default 1000. */
  maxLength?: number | undefined;
  /** Deepest nesting accepted (parentheses, calls, unary signs). Default 64. */
  maxDepth?: number | undefined;
}

/**
 * The `calculate` tool: exact arithmetic and expression evaluation without `eval`. Models are
 * bad at arithmetic; this gives them a calculator whose answers are exact where possible and
 * marked when rounded, and which refuses hostile input cheaply.
 */
export function mathPack(options: MathPackOptions = {}): ToolPack {
  checkPackOptions('mathPack', options, {
    ...COMMON_OPTIONS,
    maxLength: POSITIVE_INTEGER,
    maxDepth: POSITIVE_INTEGER,
  });
  const limits = {
    maxLength: positiveInteger('mathPack', 'maxLength', options.maxLength, 1000),
    maxDepth: positiveInteger('mathPack', 'maxDepth', options.maxDepth, 64),
  };
  return toolPack({
    name: 'math',
    description: 'Exact arithmetic and expression evaluation',
    tools: [
      tool({
        name: 'calculate',
        description:
          'Evaluate an arithmetic expression exactly. Supports + - * / % ^ (or **), parentheses, n!, ' +
          'functions sqrt abs round(x, decimals) floor ceil min max log(x) (base 10) log(x, base) ln exp ' +
          'sin cos tan asin acos atan (radians) and constants pi, e. ' +
          'Use it for any arithmetic instead of computing in your head. ' +
          'Returns { result, exact, fraction? }: exact is false when result is rounded.',
        parameters: z.object({
          expression: z.string().describe('For example "(1.5 + 2) * 3^2" or "sqrt(2) / 2".'),
        }),
        execute: ({ expression }) => calculate(expression, limits),
      }),
    ],
    ...packDefaults(options),
  });
}
