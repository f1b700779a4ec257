export { connectMcp } from './connect.js';
export type { McpConnection } from './connection.js';
export { McpConfigError, McpConnectionError, McpError, McpToolCallError, McpToolSetError } from './errors.js';
export type { McpHttpEndpoint, McpListenOptions } from './http-endpoint.js';
export type {
  McpBaseOptions,
  McpHttpOptions,
  McpOptions,
  McpStdioOptions,
  McpToolFilter,
  McpToolInfo,
  McpToolOverride,
} from './options.js';
export type {
  McpPrompt,
  McpPromptResult,
  McpResource,
  McpResourceContent,
  McpResourceTemplate,
} from './resource-types.js';
export {
  createMcpServer,
  type McpServerItem,
  type McpServerOptions,
  type PlumbMcpServer,
} from './server.js';
