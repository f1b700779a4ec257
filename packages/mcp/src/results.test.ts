import { describe, expect, it } from 'vitest';
import { McpToolCallError } from './errors.js';
import { promptMessages } from './prompts.js';
import { toParts, toToolResult } from './results.js';

describe('MCP results as tool messages', () => {
  it('maps every content type, and keeps structuredContent as the result', () => {
    const result = toToolResult(
      's',
      't',
      {
        content: [
          { type: 'text', text: 'hello' },
          { type: 'audio', mimeType: 'audio/wav', data: 'AAAA' },
          { type: 'image', mimeType: 'image/svg+xml', data: 'PHN2Zz4=' },
          {
            type: 'resource',
            resource: { uri: 'file:///a.bin', mimeType: 'application/zip', blob: 'AAAAAAAA' },
          },
          { type: 'resource', resource: { uri: 'file:///p.png', mimeType: 'image/png', blob: 'iVBORw0K' } },
        ],
        structuredContent: { ok: true },
      },
      true,
    );
    expect(result.value).toEqual({ ok: true });
    expect(result.text()).toBe(
      [
        'hello',
        '[audio audio/wav, not shown: DeepSeek does not read audio]',
        '[image image/svg+xml, 6 bytes, not shown]',
        '[resource file:///a.bin (application/zip, 6 bytes of binary data, not shown)]',
        'Resource file:///p.png:',
        '[image]',
      ].join('\n'),
    );
    expect(result.parts.at(-1)).toEqual({
      type: 'image_url',
      image_url: { url: 'data:image/png;base64,iVBORw0K' },
    });
  });

  it('uses structuredContent as the text when the server sent none', () => {
    expect(toToolResult('s', 't', { content: [], structuredContent: { n: 1 } }, true).text()).toBe('{"n":1}');
  });

  it('throws an McpToolCallError with the server text for isError', () => {
    expect(() =>
      toToolResult('fs', 'read', { content: [{ type: 'text', text: 'ENOENT' }], isError: true }, true),
    ).toThrow(McpToolCallError);
    expect(() => toToolResult('fs', 'read', { isError: true }, true)).toThrow(/the server gave no details/);
  });

  it('unknown content types are named, not dropped silently', () => {
    expect(toParts({ type: 'hologram' }, true)).toEqual([
      { type: 'text', text: '[hologram content, not shown]' },
    ]);
  });
});

describe('MCP prompts as chat messages', () => {
  it('merges consecutive messages of a role, keeps user images and gives assistants text only', () => {
    const messages = promptMessages(
      [
        { role: 'user', content: { type: 'text', text: 'Look:' } },
        { role: 'user', content: { type: 'image', mimeType: 'image/png', data: 'AAAA' } },
        { role: 'assistant', content: { type: 'text', text: 'A square.' } },
        { role: 'assistant', content: { type: 'image', mimeType: 'image/png', data: 'AAAA' } },
        { role: 'user', content: { type: 'resource', resource: { uri: 'doc://1', text: 'the doc' } } },
      ],
      true,
    );
    expect(messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Look:' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
        ],
      },
      {
        role: 'assistant',
        content: 'A square.\n[image image/png, 3 bytes, not shown]',
        reasoning_content: '',
      },
      { role: 'user', content: 'Resource doc://1:\nthe doc' },
    ]);
  });
});
