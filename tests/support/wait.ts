export { sleep, waitFor, waitUntil } from '../../scripts/support/wait.mjs';

/** Blocks the event loop for `ms`, as a burst of synchronous work under load does. */
export function blockEventLoop(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy
  }
}
