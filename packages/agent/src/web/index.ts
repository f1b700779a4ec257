export type { ChatHandler, ChatHandlerOptions } from './chat-handler.js';
export { createChatHandler, uiMessagesToChat } from './chat-handler.js';
export type { NodeRequestLike, NodeResponseLike } from './node-listener.js';
export { toNodeListener } from './node-listener.js';
export type {
  UIFinishReason,
  UIMessageChunk,
  UIMessageStreamOptions,
  UIMessageStreamResponseOptions,
  UsageData,
} from './ui-message-stream.js';
export {
  toSSE,
  toUIMessageStream,
  toUIMessageStreamResponse,
  UI_MESSAGE_STREAM_HEADERS,
  UIChunkWriter,
} from './ui-message-stream.js';
