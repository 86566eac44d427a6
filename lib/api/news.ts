import { describeIssues, snapshotQuerySchema, type SnapshotParams } from '@/lib/contract/query';
import { refusalResponse } from '@/lib/guard/admit-stream';
import { JsonRpcCode, jsonRpcErrorResponse } from '@/lib/http/json-rpc-error';
import { queryObject } from '@/lib/http/query';
import { marketNewsFor } from '@/lib/stream/snapshot';

/** GET /api/news — the latest headlines for a symbol as one JSON document (contract §2). */
export async function newsSnapshot(request: Request): Promise<Response> {
  const parsed = parse(request);
  if (!parsed.ok) return parsed.response;
  const outcome = await marketNewsFor(request, 'news', parsed.params, request.signal);
  if (!outcome.ok) return refusalResponse(outcome.refusal);
  const { demo, ...body } = outcome.news;
  return Response.json(demo ? { ...body, demo } : body, { headers: { ...outcome.headers, 'Cache-Control': 'no-store' } });
}

/** HEAD: the same validation and status, no feeds read and nothing counted. */
export function newsSnapshotHead(request: Request): Response {
  const parsed = parse(request);
  const status = parsed.ok ? 200 : parsed.response.status;
  return new Response(null, { status, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' } });
}

function parse(request: Request): { ok: true; params: SnapshotParams } | { ok: false; response: Response } {
  const parsed = snapshotQuerySchema().safeParse(queryObject(new URL(request.url)));
  if (parsed.success) return { ok: true, params: parsed.data };
  const { message, fields } = describeIssues(parsed.error);
  return { ok: false, response: jsonRpcErrorResponse(400, JsonRpcCode.invalidParams, message, { fields }) };
}
