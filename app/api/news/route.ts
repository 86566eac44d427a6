import { getOnlyHandlers, JsonRpcCode, jsonRpcErrorResponse } from '@/lib/http/json-rpc-error';
import { queryObject } from '@/lib/http/query';
import { getMarketNews } from '@/lib/mcp/news-tool';
import { describeIssues, snapshotQuerySchema } from '@/lib/mcp/stream-params';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';
export const { POST, PUT, PATCH, DELETE } = getOnlyHandlers();

/** GET /api/news — the latest headlines for a symbol as one JSON document (contract §2). */
export async function GET(request: Request): Promise<Response> {
  const parsed = snapshotQuerySchema().safeParse(queryObject(new URL(request.url)));
  if (!parsed.success) {
    const { message, fields } = describeIssues(parsed.error);
    return jsonRpcErrorResponse(400, JsonRpcCode.invalidParams, message, { fields });
  }
  const news = await getMarketNews(parsed.data, request.signal);
  const { demo, ...body } = news;
  return Response.json(demo ? { ...body, demo } : body, { headers: { 'Cache-Control': 'no-store' } });
}
