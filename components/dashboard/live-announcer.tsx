'use client';

import { useEffect, useRef, useState } from 'react';

/**
 * Screen readers hear "3 new TSLA articles" (one symbol) or "3 new articles" (a watchlist) at most
 * every `minGapMs`, however fast articles arrive: announcing each one would drown the user.
 */
export function LiveAnnouncer({ newCount, symbol, minGapMs = 10_000 }: { newCount: number; symbol: string | null; minGapMs?: number }) {
  const [text, setText] = useState('');
  const announced = useRef(newCount);
  const lastAt = useRef(0);

  useEffect(() => {
    // A new stream starts counting from zero again.
    if (newCount < announced.current) announced.current = newCount;
    if (newCount === announced.current) return;
    const wait = Math.max(0, lastAt.current + minGapMs - Date.now());
    const timer = setTimeout(() => {
      const n = newCount - announced.current;
      announced.current = newCount;
      lastAt.current = Date.now();
      setText(`${n} new ${symbol ? `${symbol} ` : ''}article${n === 1 ? '' : 's'}`);
    }, wait);
    return () => clearTimeout(timer);
  }, [newCount, symbol, minGapMs]);

  return (
    <div aria-live="polite" aria-atomic="true" className="sr-only" data-testid="announcer">
      {text}
    </div>
  );
}
