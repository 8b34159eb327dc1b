import type { Metadata } from "next";
import { WorkersClient } from "@/components/workers/workers-client";
import { requireActor } from "@/lib/auth/current-actor";
import { hasRole } from "@/lib/auth/roles";
import { getPool } from "@/lib/db/client";
import { getWorkersData } from "@/lib/presenters/get-workers-data";
import { schedulerUrl } from "@/lib/presenters/scheduler-rpc";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Workers" };

export default async function WorkersPage() {
  const actor = await requireActor();
  const data = await getWorkersData(getPool(), schedulerUrl());
  return <WorkersClient initialData={data} canAct={hasRole(actor, "operator")} />;
}
