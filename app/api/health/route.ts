import { health } from '@/lib/api/health';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** GET /api/health — liveness; `?detail=1` for operators (contract §4). */
export const GET = health;
