import { imageFromBytes, MAX_IMAGE_TOKENS } from '@plumb/core';
import { describe, expect, it } from 'vitest';
import { TokenEstimator } from './estimate.js';

describe('TokenEstimator and images', () => {
  it('counts an image part as at most 384 tokens, not as the characters of its base64 data', () => {
    const bytes = new Uint8Array(300_000);
    bytes.set([0x89, 0x50, 0x4e, 0x47]);
    const image = imageFromBytes(bytes);
    const estimator = new TokenEstimator('');
    const withImage = estimator.messageTokens({
      role: 'user',
      content: [image, { type: 'text', text: 'What is it?' }],
    });
    const textOnly = estimator.messageTokens({
      role: 'user',
      content: [{ type: 'text', text: 'What is it?' }],
    });
    expect(withImage - textOnly).toBe(MAX_IMAGE_TOKENS);
    const toolResult = estimator.messageTokens({
      role: 'tool',
      tool_call_id: 'call_1',
      content: [image, image],
    });
    expect(toolResult).toBeLessThan(2 * MAX_IMAGE_TOKENS + 50);
  });
});
