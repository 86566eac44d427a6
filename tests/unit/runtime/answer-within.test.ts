import { closeSync, openSync, read } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { answerWithin } from '@/lib/runtime/answer-within';
import { blockEventLoop } from '@/tests/support/wait';


/** One read of this file: a single thread-pool job, done while the loop is blocked, delivered as I/O. */
function readByIo(fd: number): Promise<string> {
  return new Promise((resolve, reject) => read(fd, Buffer.alloc(6), 0, 6, 0, (error) => (error ? reject(error) : resolve('answer'))));
}

describe('answerWithin', () => {
  it('lets an answer that arrived while the event loop was blocked win over the expired timer', async () => {
    const fd = openSync(import.meta.filename, 'r');
    try {
      const raced = answerWithin(readByIo(fd), 20, 'too slow');
      blockEventLoop(200);
      await expect(raced).resolves.toBe('answer');
    } finally {
      closeSync(fd);
    }
  });

  it('still rejects, naming the wait, when no answer comes', async () => {
    await expect(answerWithin(new Promise(() => {}), 20, 'no answer from Redis within 20 ms')).rejects.toThrow('no answer from Redis within 20 ms');
  });

  it('passes a rejection through unchanged', async () => {
    await expect(answerWithin(Promise.reject(new Error('refused')), 1000, 'too slow')).rejects.toThrow('refused');
  });
});
