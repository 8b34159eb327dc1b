// GET /metrics – Prometheus metrics of the fleet (bearer METRICS_TOKEN, or loopback-only without it)
import { NextResponse, type NextRequest } from "next/server";
import { metricsAccess, renderMetrics } from "@/lib/alerts/metrics";
import { getPool } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest): Promise<Response> {
  const access = metricsAccess(request.headers.get("authorization"));
  if (access === "unauthorized") return NextResponse.json({ error: { code: "unauthorized", message: "send Authorization: Bearer <METRICS_TOKEN>" } }, { status: 401 });
  if (access === "forbidden") {
    return NextResponse.json({ error: { code: "forbidden", message: "the app listens beyond loopback: set METRICS_TOKEN to expose /metrics" } }, { status: 403 });
  }
  const { body, contentType } = await renderMetrics(getPool());
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
}
