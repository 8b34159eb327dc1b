// GET /api/v1/health – each part's status and latency; 200 while the database answers, 503 when it does not.
import { NextResponse } from "next/server";
import { getPool } from "@/lib/db/client";
import { getHealth } from "@/lib/health/get-health";

export const dynamic = "force-dynamic";

export async function GET() {
  const health = await getHealth(getPool(), process.env.SCHEDULER_URL ?? "http://127.0.0.1:8082");
  return NextResponse.json(health, { status: health.parts.database.status === "ok" ? 200 : 503, headers: { "cache-control": "no-store" } });
}
