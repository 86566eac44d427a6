import { ensureBuilt } from './app-server';

/** Builds the production app once per test run unless an up-to-date build exists. */
export default async function setup(): Promise<void> {
  await ensureBuilt();
}
