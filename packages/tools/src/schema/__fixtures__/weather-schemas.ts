// One parameters schema written with every zod entry point @plumb/tools accepts. Test files that
// import zod-to-json-schema take their zod schemas from here, so they never import zod themselves.
import { z } from 'zod';
import * as zm from 'zod/mini';
import * as z3 from 'zod/v3';
import { z as z4 } from 'zod/v4';

/** `import { z } from 'zod'` (zod 4). */
export const weatherZod = z.object({
  city: z.string().min(2).describe('City name'),
  units: z.enum(['c', 'f']).optional(),
  days: z.number().int().max(7).default(1),
});

/** `import { z } from 'zod/v4'` (zod 4, or zod 4 inside zod 3.25; what @plumb/packs uses). */
export const weatherZodV4 = z4.object({
  city: z4.string().min(2).describe('City name'),
  units: z4.enum(['c', 'f']).optional(),
  days: z4.number().int().max(7).default(1),
});

/** `import * as z from 'zod/v3'` (zod 3, also what `zod@3` exports). */
export const weatherZodV3 = z3.object({
  city: z3.string().min(2).describe('City name'),
  units: z3.enum(['c', 'f']).optional(),
  days: z3.number().int().max(7).default(1),
});

/** `import * as z from 'zod/mini'` (zod 4 core). */
export const weatherZodMini = zm.object({
  city: zm.string().check(zm.minLength(2)).register(z.globalRegistry, { description: 'City name' }),
  units: zm.optional(zm.enum(['c', 'f'])),
  days: zm._default(zm.number().check(zm.int(), zm.maximum(7)), 1),
});

/** Every flavour, labelled, with the converter that must handle it. */
export const weatherSchemas = [
  ['zod', weatherZod, 'zod4'],
  ['zod/v4', weatherZodV4, 'zod4'],
  ['zod/v3', weatherZodV3, 'zod3'],
  ['zod/mini', weatherZodMini, 'zod4'],
] as const;
