import { hostHeaderValidationResponse, originValidationResponse } from '@modelcontextprotocol/server';
import { ownHostnames } from '@/lib/guard/own-hosts';
import { processSingleton } from '@/lib/runtime/process-singleton';

/**
 * DNS-rebinding protection for /api/mcp. A rebinding attack reaches the server under the attacker's
 * hostname, so the Host header itself must be one this deployment answers to (lib/guard/own-hosts.ts);
 * browser Origins must come from the same set; clients that send no Origin (agents, CLIs) pass.
 * Returns the 403 to send for an unexpected Host or Origin (and which it was), or undefined to proceed.
 */
export function rebindingRejection(request: Request): { response: Response; reason: 'host' | 'origin' } | undefined {
  const hosts = processSingleton('mcp-allowed-hosts', () => ownHostnames());
  const host = hostHeaderValidationResponse(request, hosts);
  if (host) return { response: host, reason: 'host' };
  const origin = originValidationResponse(request, hosts);
  return origin ? { response: origin, reason: 'origin' } : undefined;
}
