export { PackConfigError, PackError, PackInputError } from '../errors.js';
export type { CommonPackOptions } from '../pack-options.js';
export { addDuration, type Difference, type Duration, difference } from './arithmetic.js';
export { describeInstant, type FormatOptions, formatInstant, type ZonedTime } from './describe.js';
export { parseDateTime, toInstant } from './parse-date-time.js';
export { type TimePackOptions, timePack } from './time-pack.js';
export { checkTimeZone } from './zones.js';
