// GET /api/v1/dashboard/runs/:id/log/download – the whole log file, as an attachment, streamed.
import { Readable } from "node:stream";
import type { NextRequest } from "next/server";
import { ApiError, notFound, unauthorized } from "@/lib/api/errors";
import { errorResponse, resolveActor } from "@/lib/api/handler";
import { getPool } from "@/lib/db/client";
import { runInput } from "@/lib/presenters/inputs";
import { openRunLog } from "@/lib/presenters/run-log-file";
import { selectRunLogPath } from "@/lib/db/queries/select-run-log-path";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest, route: { params: Promise<Record<string, string>> }): Promise<Response> {
  try {
    if (!(await resolveActor(request))) throw unauthorized(); // every role may read logs
    const { id } = runInput.parse(await route.params);
    const run = await selectRunLogPath(getPool(), id);
    if (!run?.path) throw notFound(`the log of run ${id}`);
    const handle = await openRunLog(run.path).catch((error: Error) => {
      throw new ApiError(403, "log_outside_folder", error.message);
    });
    if (!handle) throw notFound(`the log of run ${id} (${run.path})`);
    const stat = await handle.stat();
    // up to the size announced in content-length: a running run's log grows while it is sent
    if (stat.size === 0) await handle.close();
    const body = stat.size === 0 ? null : (Readable.toWeb(handle.createReadStream({ end: stat.size - 1 })) as ReadableStream<Uint8Array>);
    return new Response(body, {
      headers: {
        "content-type": "text/plain; charset=utf-8",
        "content-length": String(stat.size),
        "content-disposition": `attachment; filename="run-${id}.log"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    return errorResponse(error, request);
  }
}
