import { describe, expect, it } from 'vitest';
import { pulled } from '@/lib/runtime/pulled';
import { sleep } from '@/tests/support/wait';

describe('pulled', () => {
  it('starts the source on the first pull, not before', async () => {
    let started = false;
    const items = pulled<number>((push, end) => {
      started = true;
      push(1);
      end();
      return () => {};
    });
    await sleep(10);
    expect(started).toBe(false);
    expect(await items.next()).toEqual({ done: false, value: 1 });
    expect(started).toBe(true);
  });

  it('yields every item pushed before the end, in order, even when all come in one turn', async () => {
    const items = pulled<number>((push, end) => {
      for (let i = 0; i < 5; i++) push(i);
      end();
      return () => {};
    });
    const seen: number[] = [];
    for await (const item of items) seen.push(item);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });

  it('waits for items pushed later, and ends after the end', async () => {
    const items = pulled<string>((push, end) => {
      setTimeout(() => push('a'), 20);
      setTimeout(() => push('b'), 40);
      setTimeout(end, 60);
      return () => {};
    });
    const seen: string[] = [];
    for await (const item of items) seen.push(item);
    expect(seen).toEqual(['a', 'b']);
  });

  it('stops the source when the consumer leaves early, and after a normal end too', async () => {
    let stops = 0;
    const source = (push: (n: number) => void, end: () => void) => {
      push(1);
      push(2);
      setTimeout(end, 20);
      return () => void stops++;
    };
    for await (const item of pulled(source)) if (item === 1) break;
    expect(stops).toBe(1);
    for await (const item of pulled(source)) expect(item).toBeGreaterThan(0);
    expect(stops).toBe(2);
  });
});
