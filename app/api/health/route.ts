import { appVersion } from '@/lib/config/env';
import { activeStreamCount } from '@/lib/streams/active-streams';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** GET /api/health — liveness for load balancers and operators; nothing sensitive (contract §4). */
export function GET(): Response {
  return Response.json(
    {
      status: 'ok',
      version: appVersion,
      uptimeSeconds: Math.round(process.uptime()),
      activeStreams: activeStreamCount(),
    },
    { headers: { 'Cache-Control': 'no-store' } },
  );
}
