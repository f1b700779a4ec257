import type { UserContentPart } from '@plumb/core';
import { ToolResultContent } from '@plumb/tools';
import { McpToolCallError } from './errors.js';

/** A content block of an MCP tool result or prompt message, as the SDK parses it (loosely typed). */
export interface McpContentBlock {
  type: string;
  text?: string;
  data?: string;
  mimeType?: string;
  uri?: string;
  name?: string;
  description?: string;
  resource?: { uri: string; mimeType?: string; text?: string; blob?: string };
}

/** Image types DeepSeek reads (it sniffs the bytes; these are the formats it documents). */
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

function image(mimeType: string, data: string, images: boolean): UserContentPart {
  if (!images || !IMAGE_TYPES.has(mimeType)) {
    return { type: 'text', text: `[image ${mimeType}, ${approximateBytes(data)} bytes, not shown]` };
  }
  return { type: 'image_url', image_url: { url: `data:${mimeType};base64,${data}` } };
}

function approximateBytes(base64: string): number {
  return Math.floor((base64.length * 3) / 4);
}

/**
 * One MCP content block as DeepSeek content parts: text as text, images as `image_url` data URLs
 * (or a text note when `images` is false or the type is one DeepSeek does not read), embedded
 * text resources as their text under their URI, other resources and links as a short note.
 */
export function toParts(block: McpContentBlock, images: boolean): UserContentPart[] {
  switch (block.type) {
    case 'text':
      return [{ type: 'text', text: block.text ?? '' }];
    case 'image':
      return [image(block.mimeType ?? 'application/octet-stream', block.data ?? '', images)];
    case 'audio':
      return [
        { type: 'text', text: `[audio ${block.mimeType ?? ''}, not shown: DeepSeek does not read audio]` },
      ];
    case 'resource': {
      const resource = block.resource;
      if (resource === undefined) return [];
      if (typeof resource.text === 'string') {
        return [
          {
            type: 'text',
            text: `Resource ${resource.uri}${resource.mimeType ? ` (${resource.mimeType})` : ''}:\n${resource.text}`,
          },
        ];
      }
      const mime = resource.mimeType ?? 'application/octet-stream';
      if (IMAGE_TYPES.has(mime) && typeof resource.blob === 'string') {
        return [{ type: 'text', text: `Resource ${resource.uri}:` }, image(mime, resource.blob, images)];
      }
      return [
        {
          type: 'text',
          text: `[resource ${resource.uri} (${mime}, ${approximateBytes(resource.blob ?? '')} bytes of binary data, not shown)]`,
        },
      ];
    }
    case 'resource_link':
      return [
        {
          type: 'text',
          text: `[resource link ${block.uri ?? ''}${block.name ? ` "${block.name}"` : ''}${block.description ? `: ${block.description}` : ''}]`,
        },
      ];
    default:
      return [{ type: 'text', text: `[${block.type} content, not shown]` }];
  }
}

/** What `client.callTool()` resolves with, loosely typed. */
export interface McpCallResult {
  content?: McpContentBlock[];
  structuredContent?: unknown;
  isError?: boolean;
  toolResult?: unknown;
}

/**
 * An MCP tool result as a plumb tool result: the content blocks become the tool message (with
 * image parts when there are images), `structuredContent` becomes the call's `result` (and the
 * message text when the server sent no text), and `isError: true` throws, so the model reads it as
 * a failed call.
 * @throws McpToolCallError for `isError` results.
 */
export function toToolResult(
  server: string,
  tool: string,
  result: McpCallResult,
  images: boolean,
): ToolResultContent {
  const blocks = Array.isArray(result.content) ? result.content : [];
  const parts = blocks.flatMap((block) => toParts(block, images));
  const structured = result.structuredContent;
  if (structured !== undefined && !parts.some((part) => part.type === 'text' && part.text !== '')) {
    parts.unshift({ type: 'text', text: JSON.stringify(structured) });
  }
  if (blocks.length === 0 && structured === undefined && 'toolResult' in result) {
    // Servers on the 2024-10-07 protocol answer { toolResult } instead of content.
    parts.push({
      type: 'text',
      text: typeof result.toolResult === 'string' ? result.toolResult : JSON.stringify(result.toolResult),
    });
  }
  const content = new ToolResultContent(parts, structured);
  if (result.isError === true) {
    const text = content.text() || '(the server gave no details)';
    throw new McpToolCallError(server, tool, text);
  }
  return content;
}
