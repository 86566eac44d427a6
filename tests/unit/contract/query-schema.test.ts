import { describe, expect, it } from 'vitest';
import { streamQuerySchema } from '@/lib/contract/query';

describe('streamQuerySchema', () => {
  it('is built once per STREAM_MAX_DURATION_MS and refuses unknown parameters', () => {
    expect(streamQuerySchema(300_000)).toBe(streamQuerySchema(300_000));
    expect(streamQuerySchema(300_000).safeParse({ colour: 'blue' }).success).toBe(false);
    expect(streamQuerySchema(20_000).safeParse({ duration: '20001' }).success).toBe(false);
    expect(streamQuerySchema(20_000).safeParse({ duration: '20000' }).success).toBe(true);
  });
});
