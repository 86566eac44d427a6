import { newsSnapshot, newsSnapshotHead } from '@/lib/api/news';
import { getOnlyHandlers } from '@/lib/http/allowed-methods';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** GET /api/news — the latest headlines for a symbol as one JSON document (contract §2). */
export const GET = newsSnapshot;
export const HEAD = newsSnapshotHead;
export const { POST, PUT, PATCH, DELETE } = getOnlyHandlers();
