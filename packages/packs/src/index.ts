export {
  type DeepSeekWebPackOptions,
  deepseekWebPack,
  type WebSearchToolResult,
} from './deepseek-web/deepseek-web-pack.js';
export { PackConfigError, PackError, PackInputError, PackRemoteError } from './errors.js';
export { type FsPackOptions, fsPack } from './fs/fs-pack.js';
export { type HttpPackOptions, httpPack } from './http/http-pack.js';
export { type MathPackOptions, mathPack } from './math/math-pack.js';
export type { CommonPackOptions } from './pack-options.js';
export { type TimePackOptions, timePack } from './time/time-pack.js';
