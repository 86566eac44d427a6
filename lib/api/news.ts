import { describeIssues, snapshotQuerySchema } from '@/lib/contract/query';
import { JsonRpcCode, jsonRpcErrorResponse } from '@/lib/http/json-rpc-error';
import { queryObject } from '@/lib/http/query';
import { getMarketNews } from '@/lib/stream/snapshot';

/** GET /api/news — the latest headlines for a symbol as one JSON document (contract §2). */
export async function newsSnapshot(request: Request): Promise<Response> {
  const parsed = snapshotQuerySchema().safeParse(queryObject(new URL(request.url)));
  if (!parsed.success) {
    const { message, fields } = describeIssues(parsed.error);
    return jsonRpcErrorResponse(400, JsonRpcCode.invalidParams, message, { fields });
  }
  const { demo, ...body } = await getMarketNews(parsed.data, request.signal);
  return Response.json(demo ? { ...body, demo } : body, { headers: { 'Cache-Control': 'no-store' } });
}
