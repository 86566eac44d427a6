import { describe, expect, it } from 'vitest';
import { abortOnce } from '@/lib/runtime/abort';

describe('abortOnce', () => {
  it('aborts with one shared AbortError, builds nothing on a second call, and leaves an earlier reason alone', () => {
    const a = new AbortController();
    const b = new AbortController();
    let fired = 0;
    a.signal.addEventListener('abort', () => fired++);
    abortOnce(a);
    abortOnce(a);
    abortOnce(b);
    expect(fired).toBe(1);
    expect(a.signal.reason).toBeInstanceOf(DOMException);
    expect((a.signal.reason as DOMException).name).toBe('AbortError');
    expect(b.signal.reason).toBe(a.signal.reason);
    const c = new AbortController();
    const own = new Error('timeout');
    c.abort(own);
    abortOnce(c);
    expect(c.signal.reason).toBe(own);
  });
});
