// Type tests: checked by `tsc -p tsconfig.json` (typecheck), not run by vitest.
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import * as zm from 'zod/mini';
import * as z3 from 'zod/v3';
import { z as z4 } from 'zod/v4';
import {
  type AnyTool,
  type ParseArgumentsResult,
  resolveTools,
  type Tool,
  type ToolContext,
  type ToolOutcome,
  type ToolPack,
  tool,
  toolPack,
} from './index.js';

type Weather = { city: string; days: number; units?: 'c' | 'f' | undefined };

describe('tool() infers execute arguments from parameters', () => {
  it('zod 4', () => {
    tool({
      name: 'get_weather',
      description: 'Weather',
      parameters: z.object({
        city: z.string(),
        days: z.number().default(1),
        units: z.enum(['c', 'f']).optional(),
      }),
      execute: (args, context) => {
        expectTypeOf(args).toEqualTypeOf<Weather>();
        expectTypeOf(context).toEqualTypeOf<ToolContext>();
        expectTypeOf(context.signal).toEqualTypeOf<AbortSignal>();
        expectTypeOf(context.callId).toEqualTypeOf<string>();
        // @ts-expect-error: not a parameter
        args.country;
        return null;
      },
    });
  });

  it('zod 3 (zod/v3)', () => {
    tool({
      name: 'get_weather',
      description: 'Weather',
      parameters: z3.object({
        city: z3.string(),
        days: z3.number().default(1),
        units: z3.enum(['c', 'f']).optional(),
      }),
      execute: (args) => {
        expectTypeOf(args).toEqualTypeOf<{ city: string; days: number; units?: 'c' | 'f' | undefined }>();
        return null;
      },
    });
  });

  it('zod/v4 (what @plumb/packs imports)', () => {
    tool({
      name: 'get_weather',
      description: 'Weather',
      parameters: z4.object({
        city: z4.string(),
        days: z4.number().default(1),
        units: z4.enum(['c', 'f']).optional(),
      }),
      execute: (args) => {
        expectTypeOf(args).toEqualTypeOf<Weather>();
        // @ts-expect-error: not a parameter
        args.country;
        return null;
      },
    });
  });

  it('zod/mini', () => {
    tool({
      name: 'q',
      description: 'Q',
      parameters: zm.object({ q: zm.string() }),
      execute: (args) => {
        expectTypeOf(args).toEqualTypeOf<{ q: string }>();
      },
    });
  });

  it('uses the output type of transforms', () => {
    tool({
      name: 'len',
      description: 'Length',
      parameters: z.object({ text: z.string().transform((text) => text.length) }),
      execute: (args) => {
        expectTypeOf(args).toEqualTypeOf<{ text: number }>();
      },
    });
  });

  it('rejects parameters that are not zod schemas', () => {
    tool({
      name: 'bad',
      description: 'Bad',
      // @ts-expect-error: a plain JSON schema is not accepted
      parameters: { type: 'object', properties: {} },
      execute: () => null,
    });
  });
});

describe('the built tool keeps its types', () => {
  const getWeather = tool({
    name: 'get_weather',
    description: 'Weather',
    parameters: z.object({ city: z.string() }),
    execute: async ({ city }) => ({ city, celsius: 21 }),
    needsApproval: async (args, context) => {
      expectTypeOf(args).toEqualTypeOf<{ city: string }>();
      expectTypeOf(context.callId).toEqualTypeOf<string>();
      return args.city === 'Paris';
    },
  });

  it('infers the result (awaited) and the argument type', () => {
    expectTypeOf(getWeather).toEqualTypeOf<
      Tool<{ city: string }, { city: string; celsius: number }, ToolContext>
    >();
    expectTypeOf(getWeather.parseArguments('{}')).toEqualTypeOf<
      Promise<ParseArgumentsResult<{ city: string }>>
    >();
    expectTypeOf(getWeather.run({ city: 'x' }, { callId: 'c' })).toEqualTypeOf<
      Promise<ToolOutcome<{ city: string; celsius: number }>>
    >();
    // @ts-expect-error: wrong argument type
    getWeather.run({ city: 1 }, { callId: 'c' });
  });

  it('types the run data from the context annotation', () => {
    const whoami = tool({
      name: 'whoami',
      description: 'Who am I',
      parameters: z.object({}),
      execute: (_args, context: ToolContext<{ userId: string }>) => context.data.userId,
    });
    expectTypeOf(whoami).toEqualTypeOf<
      Tool<Record<string, never>, string, ToolContext<{ userId: string }>>
    >();
    whoami.run({}, { callId: 'c', data: { userId: 'u' } });
    // @ts-expect-error: data has the wrong shape
    whoami.run({}, { callId: 'c', data: { user: 'u' } });
  });

  it('is assignable to AnyTool, and tools mix with packs', () => {
    expectTypeOf(getWeather).toExtend<AnyTool>();
    const pack = toolPack({ name: 'weather', description: 'Weather', tools: [getWeather] });
    expectTypeOf(pack).toEqualTypeOf<ToolPack>();
    resolveTools([getWeather, pack]);
  });
});

describe('toolPack() types context.pack from setup', () => {
  it('infers the state', () => {
    toolPack({
      name: 'github',
      description: 'GitHub',
      setup: async () => ({ token: 'x', count: 0 }),
      tools: (packTool) => [
        packTool({
          name: 'get_issue',
          description: 'Issue',
          parameters: z.object({ id: z.number() }),
          execute: ({ id }, { pack, signal }) => {
            expectTypeOf(id).toEqualTypeOf<number>();
            expectTypeOf(pack).toEqualTypeOf<{ token: string; count: number }>();
            expectTypeOf(signal).toEqualTypeOf<AbortSignal>();
            return pack.token;
          },
        }),
      ],
    });
  });
});
