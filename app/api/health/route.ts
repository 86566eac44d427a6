import { health } from '@/lib/api/health';
import { getOnlyHandlers } from '@/lib/http/allowed-methods';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** GET /api/health — liveness; `?detail=1` for operators (contract §4). */
export const GET = health;
export const { POST, PUT, PATCH, DELETE } = getOnlyHandlers();
