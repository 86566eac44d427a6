/**
 * Sleeping and polling for tests, the bench and scripts. Plain ESM so that bare `node` can run the
 * scripts that use it; TypeScript reads wait.d.mts beside it.
 */

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Resolves with the first truthy result of `check`, or with its falsy result once `timeoutMs` has
 * passed: callers that only ask "did it happen" get a boolean, callers that look for something
 * get the thing. The default 20 ms poll suits in-process state, which costs nothing to read.
 */
export async function waitFor(check, timeoutMs, intervalMs = 20) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result || Date.now() >= deadline) return result;
    await sleep(intervalMs);
  }
}

/**
 * waitFor for when a timeout means the test or script cannot go on: it throws, naming `what`.
 * Its checks usually ask a server over HTTP, hence the gentler default poll on a busy machine.
 */
export async function waitUntil(check, timeoutMs, what = 'condition', intervalMs = 100) {
  const result = await waitFor(check, timeoutMs, intervalMs);
  if (!result) throw new Error(`${what} not met within ${timeoutMs} ms`);
  return result;
}
