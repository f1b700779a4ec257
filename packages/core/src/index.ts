export type { APIPromise, APIResult, WithRequestID } from './api-promise.js';
export type { ChatCompletionSnapshot, ChatCompletionSnapshotChoice } from './assemble.js';
export type { CompletionSnapshot } from './assemble-completion.js';
export { ChatCompletionStream, CompletionStream } from './chat-stream.js';
export type { RawRequest } from './client.js';
export { DeepSeek } from './client.js';
export type { Cost, CostOptions } from './cost.js';
export { costOf } from './cost.js';
export type { APIErrorInit, SizeLimit, StreamInterruptReason, TimeoutKind } from './errors.js';
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
} from './errors.js';
export { deepFreeze, isDeepFrozen } from './frozen.js';
export { estimatePromptTokens } from './image-preflight.js';
export type { ImageMediaType } from './image-type.js';
export { sniffImageType } from './image-type.js';
export type { ImageDetail, ImageOptions } from './images.js';
export {
  imageFromBytes,
  imageFromFile,
  imageFromFileId,
  imageFromUrl,
  isImagePart,
  MAX_IMAGE_TOKENS,
} from './images.js';
export type { Logger, LogLevel } from './logger.js';
export { CURRENT_MODELS, LEGACY_MODELS, RETIRED_MODELS } from './model-ids.js';
export type { ClientOptions, RequestOptions } from './options.js';
export type { Currency, ModelPrices, TokenPrices } from './pricing.js';
export { isPeakTime, PRICES, pricesFor } from './pricing.js';
export { redact } from './redact.js';
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
export type { ChunkStream } from './stream.js';
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
export { cutText, toWellFormed } from './text.js';
export type { RequestTiming } from './timing.js';
export { addUsage, cacheHitRatio, cacheHitTokens, cacheMissTokens } from './usage.js';
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
} from './wire-types.js';
