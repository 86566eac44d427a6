/**
 * `promise`, or a rejection once `ms` have passed without its answer.
 *
 * Written by hand (rather than `AbortSignal.timeout` or a timers/promises race) for one detail: in
 * each turn of Node's event loop, expired timers run before I/O callbacks. After the loop was
 * blocked for longer than `ms` (a burst of work under load), an answer already sitting in the
 * socket would lose to the timer, and a Redis round trip that took 2 ms would count as a timeout:
 * a shared feed would then be polled locally (a second fetch beside the lease holder's), and the
 * guard would fail open (limits skipped) just when load is highest. So an expired timer gives I/O
 * one more turn (setImmediate runs after the poll phase) before it rejects.
 */
export function answerWithin<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let lastTurn: NodeJS.Immediate | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      lastTurn = setImmediate(() => reject(new Error(message)));
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => {
    clearTimeout(timer);
    clearImmediate(lastTurn);
  });
}
