export { PackConfigError, PackError } from '../errors.js';
export type { CommonPackOptions } from '../pack-options.js';
export {
  type DeepSeekWebPackOptions,
  deepseekWebPack,
  type WebSearchToolResult,
} from './deepseek-web-pack.js';
