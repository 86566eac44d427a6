/**
 * One value per process, however many times a module is loaded. Next.js bundles the middleware
 * and each route separately, so a module-level `let` would exist once per bundle: the guard's
 * limiter state, the news hub or the metrics registry would silently split. globalThis under a
 * registered symbol is shared by every bundle in the process.
 */
const holder = globalThis as unknown as Record<symbol, unknown>;

export function processSingleton<T>(name: string, create: () => T): T {
  const key = Symbol.for(`market-pulse.${name}`);
  if (!(key in holder)) holder[key] = create();
  return holder[key] as T;
}

/** For tests that need a fresh value after changing the environment. */
export function resetProcessSingleton(name: string): void {
  delete holder[Symbol.for(`market-pulse.${name}`)];
}
