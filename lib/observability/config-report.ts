import { configProblems, settings } from '@/lib/config/settings';
import { log } from './logger';

/**
 * Settings replaced by their default because their value was invalid: logged once per process
 * (at start, from instrumentation.ts), by name, never with the value. Security settings that fail
 * closed are reported by the guard, which is what refuses requests because of them.
 */
export function reportDefaultedSettings(): void {
  for (const problem of configProblems()) {
    if (problem.rule !== 'default') continue;
    log.once(`config.invalid:${problem.variable}`, 'error', 'config.invalid', { variable: problem.variable, problem: problem.message, using: 'default' });
  }
  const { newsContact, newsFeeds } = settings();
  if (!newsContact && newsFeeds?.trim().toLowerCase() !== 'demo') {
    log.once('config.no_contact', 'warn', 'config.no_contact', {
      variable: 'NEWS_USER_AGENT',
      message: 'no contact is sent to the news sources; SEC EDGAR asks for one (set NEWS_USER_AGENT to e.g. "Your Company you@example.com")',
    });
  }
}
