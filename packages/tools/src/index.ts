export { onAbort } from '@plumb/core/internal';
export { type DynamicToolPack, dynamicToolPack, isDynamicToolPack } from './dynamic-pack.js';
export {
  ToolAbortedError,
  ToolDefinitionError,
  ToolError,
  ToolExecutionError,
  ToolInputError,
  type ToolInputErrorKind,
  type ToolInputIssue,
  ToolTimeoutError,
} from './errors.js';
export {
  isJsonSchemaParameters,
  type JsonSchemaParameters,
  type JsonSchemaValidation,
  jsonSchema,
} from './json-schema.js';
export { MAX_TOOL_NAME_LENGTH } from './names.js';
export type { ParseArgumentsOptions, ParseArgumentsResult } from './parse-arguments.js';
export { MAX_TOOLS, resolveTools, type ToolSet } from './resolve-tools.js';
export { toJsonSchema } from './schema/to-json-schema.js';
export { loadZod3Support } from './schema/zod3-to-json-schema.js';
export { DEFAULT_MAX_RESULT_CHARS, NO_OUTPUT } from './serialize-result.js';
export { isTool, tool } from './tool.js';
export { ToolResultContent } from './tool-content.js';
export {
  isToolPack,
  type PackToolFactory,
  type ToolPack,
  type ToolPackOptions,
  toolPack,
} from './tool-pack.js';
export type {
  AnyTool,
  ApprovalContext,
  ApprovalPredicate,
  ApprovalRequest,
  InferToolArgs,
  PackToolContext,
  Tool,
  ToolCallError,
  ToolCallInput,
  ToolContext,
  ToolInvokeOptions,
  ToolOptions,
  ToolOutcome,
  ToolParameters,
  ToolProgress,
  ToolRunOptions,
  Zod3Type,
  Zod4Type,
} from './types.js';
