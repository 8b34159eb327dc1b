// GET /api/v1/dashboard/runs/:id/log/download – the whole log file, as an attachment, streamed;
// when only its end is left (kept in the database, its runner gone), that end, named so.
import { Readable } from "node:stream";
import type { NextRequest } from "next/server";
import { ApiError, notFound, unauthorized } from "@/lib/api/errors";
import { errorResponse, resolveActor } from "@/lib/api/handler";
import { getPool } from "@/lib/db/client";
import { runInput } from "@/lib/presenters/inputs";
import { LogUnavailable, openRunLogSource } from "@/lib/presenters/run-log-source";
import { selectRunLogPath } from "@/lib/db/queries/select-run-log-path";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest, route: { params: Promise<Record<string, string>> }): Promise<Response> {
  try {
    if (!(await resolveActor(request))) throw unauthorized(); // every role may read logs
    const { id } = runInput.parse(await route.params);
    const pool = getPool();
    const run = await selectRunLogPath(pool, id);
    if (!run?.path) throw notFound(`the log of run ${id}`);
    const source = await openRunLogSource(pool, id, run).catch((error: Error) => {
      if (error instanceof LogUnavailable) throw new ApiError(502, "log_unavailable", error.message);
      throw new ApiError(403, "log_outside_folder", error.message);
    });
    if (!source) throw notFound(`the log of run ${id} (${run.path})`);
    const size = source.size - (source.kept?.start ?? 0);
    // up to the size announced in content-length: a running run's log grows while it is sent
    const body = size === 0 ? (await source.close(), null) : (Readable.toWeb(await source.stream()) as ReadableStream<Uint8Array>);
    return new Response(body, {
      headers: {
        "content-type": "text/plain; charset=utf-8",
        "content-length": String(size),
        "content-disposition": `attachment; filename="run-${id}${source.kept ? `-last-${size}-bytes` : ""}.log"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    return errorResponse(error, request);
  }
}
