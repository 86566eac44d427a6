import { afterEach, describe, expect, it } from 'vitest';
import { resetEnvCache } from '@/lib/config/env';
import { streamQuerySchema } from '@/lib/mcp/stream-params';

describe('streamQuerySchema', () => {
  afterEach(() => {
    delete process.env.STREAM_MAX_DURATION_MS;
    resetEnvCache();
  });

  it('is built once per STREAM_MAX_DURATION_MS and refuses unknown parameters', () => {
    expect(streamQuerySchema()).toBe(streamQuerySchema());
    expect(streamQuerySchema().safeParse({ colour: 'blue' }).success).toBe(false);
    process.env.STREAM_MAX_DURATION_MS = '20000';
    resetEnvCache();
    expect(streamQuerySchema().safeParse({ duration: '20001' }).success).toBe(false);
    expect(streamQuerySchema().safeParse({ duration: '20000' }).success).toBe(true);
  });
});
