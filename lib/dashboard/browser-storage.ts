/** The browser's storage of that kind, or undefined where reading it throws (privacy modes, sandboxed frames). */
export function browserStorage(kind: 'localStorage' | 'sessionStorage'): Storage | undefined {
  try {
    return window[kind];
  } catch {
    return undefined;
  }
}
