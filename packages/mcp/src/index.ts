export { connectMcp } from './connect.js';
export {
  McpConnection,
  type McpPrompt,
  type McpPromptResult,
  type McpResource,
  type McpResourceContent,
  type McpResourceTemplate,
} from './connection.js';
export { McpConfigError, McpConnectionError, McpError, McpToolCallError, McpToolSetError } from './errors.js';
export type {
  McpBaseOptions,
  McpHttpOptions,
  McpOptions,
  McpStdioOptions,
  McpToolFilter,
  McpToolInfo,
  McpToolOverride,
} from './options.js';
export {
  createMcpServer,
  type McpHttpEndpoint,
  type McpListenOptions,
  type McpServerItem,
  type McpServerOptions,
  PlumbMcpServer,
} from './server.js';
