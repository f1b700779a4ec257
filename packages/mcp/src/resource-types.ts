import type { ChatMessage } from '@plumb/core';

/** A resource the server lists (`resources/list`). */
export interface McpResource {
  uri: string;
  name: string;
  title?: string | undefined;
  description?: string | undefined;
  mimeType?: string | undefined;
}

/** A resource template the server lists (`resources/templates/list`). */
export interface McpResourceTemplate {
  uriTemplate: string;
  name: string;
  title?: string | undefined;
  description?: string | undefined;
  mimeType?: string | undefined;
}

/** One content item of `resources/read`: text, or base64 `blob`. */
export interface McpResourceContent {
  uri: string;
  mimeType?: string | undefined;
  text?: string | undefined;
  blob?: string | undefined;
}

/** A prompt the server lists (`prompts/list`). */
export interface McpPrompt {
  name: string;
  title?: string | undefined;
  description?: string | undefined;
  arguments?:
    | { name: string; description?: string | undefined; required?: boolean | undefined }[]
    | undefined;
}

/** A prompt filled in by the server, as chat messages ready to send to DeepSeek. */
export interface McpPromptResult {
  description: string | undefined;
  messages: ChatMessage[];
}
