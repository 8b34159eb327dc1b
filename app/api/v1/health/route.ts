// GET /api/v1/health – each part's status and latency; 200 while the database answers, 503 when it does not.
// No sign-in needed (a load balancer's readiness probe); the runner list only for a signed-in caller.
import { NextResponse, type NextRequest } from "next/server";
import { resolveActor } from "@/lib/api/handler";
import { getPool } from "@/lib/db/client";
import { getHealth, publicHealth } from "@/lib/health/get-health";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest) {
  const health = await getHealth(getPool(), process.env.SCHEDULER_URL ?? "http://127.0.0.1:8082");
  const up = health.parts.database.status === "ok";
  const signedIn = up && (await resolveActor(request).catch(() => null)) !== null;
  return NextResponse.json(signedIn ? health : publicHealth(health), { status: up ? 200 : 503, headers: { "cache-control": "no-store" } });
}
