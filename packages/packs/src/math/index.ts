export { PackConfigError, PackError, PackInputError } from '../errors.js';
export type { CommonPackOptions } from '../pack-options.js';
export { type CalculationResult, calculate } from './calculate.js';
export { type MathPackOptions, mathPack } from './math-pack.js';
export type { ParseLimits } from './parse.js';
