'use client';

import { useEffect, useRef } from 'react';
import { isTypingTarget, shortcutFor, type Shortcut } from './shortcuts';

/** Listens for the page's shortcuts (lib/dashboard/shortcuts.ts) and runs the matching action. */
export function useShortcuts(actions: Record<Shortcut, () => void>): void {
  const latest = useRef(actions);
  useEffect(() => {
    latest.current = actions;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const shortcut = shortcutFor({
        key: e.key,
        ctrlKey: e.ctrlKey,
        metaKey: e.metaKey,
        altKey: e.altKey,
        typing: isTypingTarget(e.target),
        defaultPrevented: e.defaultPrevented,
      });
      if (!shortcut) return;
      // Otherwise the "/" or "a" would be typed into the field that just took focus.
      e.preventDefault();
      latest.current[shortcut]();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
