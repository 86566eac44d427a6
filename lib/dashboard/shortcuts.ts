/**
 * Keyboard shortcuts: `/` focuses the Filter box, `a` the Add symbol box. They act only when the
 * user is not typing in a field and holds no modifier, so they never steal a character or a
 * browser shortcut (Ctrl+A, Cmd+/).
 */
export type Shortcut = 'focus-filter' | 'focus-add';

export interface KeyInfo {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** The key went to a text field, select or editable element. */
  typing: boolean;
  /** Something else already handled the key. */
  defaultPrevented: boolean;
}

export function shortcutFor(e: KeyInfo): Shortcut | null {
  if (e.typing || e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return null;
  if (e.key === '/') return 'focus-filter';
  if (e.key === 'a') return 'focus-add';
  return null;
}

/** Whether a key event's target takes text (shortcuts must not fire there). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (typeof HTMLElement === 'undefined' || !(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file', 'image'].includes(target.type);
  }
  return false;
}
