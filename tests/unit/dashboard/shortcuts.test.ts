import { describe, expect, it } from 'vitest';
import { isTypingTarget, shortcutFor, type KeyInfo } from '@/lib/dashboard/shortcuts';

const key = (k: string, extra: Partial<KeyInfo> = {}): KeyInfo => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  typing: false,
  defaultPrevented: false,
  ...extra,
});

describe('keyboard shortcuts', () => {
  it('/ focuses the filter, a focuses Add symbol', () => {
    expect(shortcutFor(key('/'))).toBe('focus-filter');
    expect(shortcutFor(key('a'))).toBe('focus-add');
    expect(shortcutFor(key('A'))).toBeNull();
    expect(shortcutFor(key('b'))).toBeNull();
  });

  it('never while typing, with a modifier, or when already handled', () => {
    for (const extra of [{ typing: true }, { ctrlKey: true }, { metaKey: true }, { altKey: true }, { defaultPrevented: true }]) {
      expect(shortcutFor(key('/', extra))).toBeNull();
      expect(shortcutFor(key('a', extra))).toBeNull();
    }
  });

  it('treats non-elements as not typing (no DOM in this environment)', () => {
    expect(isTypingTarget(null)).toBe(false);
  });
});
