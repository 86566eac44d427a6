import { activeStreams } from '../../active-streams.mjs';

export const dynamic = 'force-dynamic';

export function GET() {
  return Response.json({ status: 'ok', activeStreams: activeStreams.count });
}
