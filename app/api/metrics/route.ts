import { metricsHead, metricsText } from '@/lib/api/metrics';
import { getOnlyHandlers } from '@/lib/http/allowed-methods';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** GET /api/metrics — Prometheus text exposition of this instance (contract §4). */
export const GET = metricsText;
export const HEAD = metricsHead;
export const { POST, PUT, PATCH, DELETE } = getOnlyHandlers();
