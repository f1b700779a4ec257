export type { APIPromise, APIResult, WithRequestID } from './client/api-promise.js';
export type { RawRequest } from './client/client.js';
export { DeepSeek } from './client/client.js';
export type { Logger, LogLevel } from './client/logger.js';
export { CURRENT_MODELS, LEGACY_MODELS, RETIRED_MODELS } from './client/model-ids.js';
export type { ClientOptions, RequestOptions } from './client/options.js';
export type { Cost, CostOptions } from './cost/cost.js';
export { costOf } from './cost/cost.js';
export type { Currency, ModelPrices, TokenPrices } from './cost/pricing.js';
export { isPeakTime, PRICES, pricesFor } from './cost/pricing.js';
export { addUsage, cacheHitRatio, cacheHitTokens, cacheMissTokens } from './cost/usage.js';
export type { APIErrorInit, SizeLimit, StreamInterruptReason, TimeoutKind } from './errors/errors.js';
export {
  APIConnectionError,
  APIError,
  APITimeoutError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  ConfigError,
  ConflictError,
  DeepSeekError,
  InsufficientBalanceError,
  InternalServerError,
  isDeepSeekError,
  NotFoundError,
  PermissionDeniedError,
  PlumbError,
  PreflightError,
  RateLimitError,
  ResponseParseError,
  ResponseTooLargeError,
  ServiceUnavailableError,
  StreamInterruptedError,
  UnprocessableEntityError,
} from './errors/errors.js';
export { estimatePromptTokens } from './images/image-preflight.js';
export type { ImageMediaType } from './images/image-type.js';
export { sniffImageType } from './images/image-type.js';
export type { ImageDetail, ImageOptions } from './images/images.js';
export {
  imageFromBytes,
  imageFromFile,
  imageFromFileId,
  imageFromUrl,
  isImagePart,
  MAX_IMAGE_TOKENS,
} from './images/images.js';
export type { ChatCompletionSnapshot, ChatCompletionSnapshotChoice } from './internal/assemble/assemble.js';
export type { CompletionSnapshot } from './internal/assemble/assemble-completion.js';
export type { RequestTiming } from './internal/http/timing.js';
export { redact } from './internal/redact.js';
export type { Chat, ChatCompletionStreamParams, ChatCompletions } from './resources/chat.js';
export type { CompletionStreamParams, Completions } from './resources/completions.js';
export {
  FileLimitError,
  FileTooLargeError,
  MAX_FILE_BYTES,
  MAX_FILES_PER_ACCOUNT,
} from './resources/file-errors.js';
export type {
  FileCreateParams,
  FileDeleted,
  FileList,
  FileListParams,
  FileObject,
  Files,
  Uploadable,
} from './resources/files.js';
export type { Models } from './resources/models.js';
export type { User } from './resources/user.js';
export type {
  Web,
  WebFetchParams,
  WebFetchResponse,
  WebSearchParams,
  WebSearchResponse,
  WebSearchResult,
} from './resources/web.js';
export { ChatCompletionStream, CompletionStream } from './streaming/chat-stream.js';
export type { ChunkStream } from './streaming/stream.js';
export { cutText, toWellFormed } from './streaming/text.js';
export type {
  Attributes,
  AttributeValue,
  OtelContext,
  OtelLink,
  OtelSpan,
  TelemetryOptions,
  TelemetrySettings,
} from './telemetry/index.js';
export {
  assistantParts,
  cleanAttributes,
  errorType,
  inputMessages,
  SPAN_KIND_INTERNAL,
  STATUS_ERROR,
  Telemetry,
  usageAttributes,
} from './telemetry/index.js';
export { deepFreeze, isDeepFrozen } from './wire/frozen.js';
export type {
  AssistantMessage,
  Balance,
  BalanceInfo,
  ChatCompletion,
  ChatCompletionChoice,
  ChatCompletionChunk,
  ChatCompletionChunkChoice,
  ChatCompletionCreateParams,
  ChatCompletionCreateParamsBase,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionDelta,
  ChatCompletionMessage,
  ChatCompletionTool,
  ChatMessage,
  ChoiceLogprobs,
  Completion,
  CompletionChoice,
  CompletionChunk,
  CompletionCreateParams,
  CompletionCreateParamsBase,
  CompletionCreateParamsNonStreaming,
  CompletionCreateParamsStreaming,
  CompletionLogprobs,
  DeepSeekModel,
  ErrorBody,
  FileContentPart,
  FinishReason,
  FunctionDefinition,
  ImageContentPart,
  JsonSchema,
  Model,
  ModelId,
  ModelList,
  ReasoningEffort,
  SystemMessage,
  TextContentPart,
  ThinkingConfig,
  TokenLogprob,
  ToolCall,
  ToolCallDelta,
  ToolCallFunction,
  ToolChoice,
  ToolMessage,
  TopLogprob,
  Usage,
  UserContentPart,
  UserMessage,
} from './wire/wire-types.js';
