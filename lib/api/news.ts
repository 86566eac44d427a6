import { describeIssues, snapshotQuerySchema, type SnapshotParams } from '@/lib/contract/query';
import { JsonRpcCode, jsonRpcErrorResponse } from '@/lib/http/json-rpc-error';
import { queryObject } from '@/lib/http/query';
import { readSince } from '@/lib/stream/cursor-check';
import { marketNewsFor } from '@/lib/stream/snapshot';
import { badCursorResponse, startRefusalResponse } from './refusals';
import { watched } from './sse-events';

/** GET /api/news — the latest headlines, or what arrived after `since`, as one JSON document (contract §2, §6). */
export async function newsSnapshot(request: Request): Promise<Response> {
  const parsed = parse(request);
  if (!parsed.ok) return parsed.response;
  const since = await readSince(parsed.params.since, parsed.params.symbols);
  if (!since.ok) return badCursorResponse(since.field, since.message);
  const outcome = await marketNewsFor(request, 'news', parsed.params, since.after, request.signal);
  if (!outcome.ok) return startRefusalResponse(outcome.refusal);
  const { symbols, watchlist, demo, ...rest } = outcome.news;
  const body = { ...watched({ symbols, watchlist }), ...rest, ...(demo ? { demo } : {}) };
  return Response.json(body, { headers: { ...outcome.headers, 'Cache-Control': 'no-store' } });
}

/** HEAD: the same validation (a `since` cursor included) and status, no feeds read and nothing counted. */
export async function newsSnapshotHead(request: Request): Promise<Response> {
  const parsed = parse(request);
  const since = parsed.ok ? await readSince(parsed.params.since, parsed.params.symbols) : undefined;
  const status = !parsed.ok ? parsed.response.status : since?.ok === false ? 400 : 200;
  return new Response(null, { status, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' } });
}

function parse(request: Request): { ok: true; params: SnapshotParams } | { ok: false; response: Response } {
  const parsed = snapshotQuerySchema().safeParse(queryObject(new URL(request.url)));
  if (parsed.success) return { ok: true, params: parsed.data };
  const { message, fields } = describeIssues(parsed.error);
  return { ok: false, response: jsonRpcErrorResponse(400, JsonRpcCode.invalidParams, message, { fields }) };
}
