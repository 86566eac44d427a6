import { hostHeaderValidationResponse, localhostAllowedHostnames, originValidationResponse } from '@modelcontextprotocol/server';
import { settings } from '@/lib/config/settings';

/**
 * DNS-rebinding protection for /api/mcp. A rebinding attack reaches the server under the attacker's
 * hostname, so the Host header itself must be one this deployment answers to: localhost (only a
 * local client can send it), the deployment's Vercel hostnames, and the hosts of ALLOWED_ORIGINS
 * (where a self-hosted deployment lists its public origin). Browser Origins must come from the same
 * set; clients that send no Origin (agents, CLIs) pass.
 */
export function allowedHostnames(
  source: Record<string, string | undefined> = process.env,
  allowedOrigins: readonly string[] = settings().allowedOrigins,
): string[] {
  const hosts = new Set(localhostAllowedHostnames());
  // Vercel sets these to bare hostnames (no scheme) for the deployment, its branch and production domain.
  for (const name of ['VERCEL_URL', 'VERCEL_BRANCH_URL', 'VERCEL_PROJECT_PRODUCTION_URL']) {
    const host = hostnameOf(source[name]);
    if (host) hosts.add(host);
  }
  for (const origin of allowedOrigins) {
    const host = hostnameOf(origin);
    if (host) hosts.add(host);
  }
  return [...hosts];
}

function hostnameOf(value: string | undefined): string | undefined {
  if (!value?.trim()) return undefined;
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`);
    return url.hostname.toLowerCase() || undefined;
  } catch {
    return undefined;
  }
}

let cached: string[] | undefined;

/** The 403 to send for an unexpected Host or Origin (and which it was), or undefined to proceed. */
export function rebindingRejection(request: Request): { response: Response; reason: 'host' | 'origin' } | undefined {
  cached ??= allowedHostnames();
  const host = hostHeaderValidationResponse(request, cached);
  if (host) return { response: host, reason: 'host' };
  const origin = originValidationResponse(request, cached);
  return origin ? { response: origin, reason: 'origin' } : undefined;
}
