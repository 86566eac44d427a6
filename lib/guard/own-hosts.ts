import { settings } from '@/lib/config/settings';

/** Host names only a client on this machine can reach us under (what the MCP SDK's localhost check uses too). */
const LOCAL_HOSTNAMES = ['localhost', '127.0.0.1', '[::1]'];

/**
 * The host names this deployment answers to as itself: localhost forms, the Vercel deployment's
 * hosts, and the hosts of ALLOWED_ORIGINS (where a self-hosted deployment lists its public origin).
 * A request addressed to any other name, even with a matching Origin, is not "the app itself":
 * both Host and Origin are the client's to write (DNS rebinding, scripts), so they prove nothing
 * together (contract §6.5).
 */
export function ownHostnames(vercelHosts: readonly string[] = settings().vercelHosts, allowedOrigins: readonly string[] = settings().allowedOrigins): string[] {
  const hosts = new Set(LOCAL_HOSTNAMES);
  for (const value of [...vercelHosts, ...allowedOrigins]) {
    const host = hostnameOf(value);
    if (host) hosts.add(host);
  }
  return [...hosts];
}

function hostnameOf(value: string): string | undefined {
  if (!value.trim()) return undefined;
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`);
    return url.hostname.toLowerCase() || undefined;
  } catch {
    return undefined;
  }
}
