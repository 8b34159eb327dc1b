import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { RunClient } from "@/components/run/run-client";
import { requireActor } from "@/lib/auth/current-actor";
import { hasRole } from "@/lib/auth/roles";
import { getPool } from "@/lib/db/client";
import { getRunData } from "@/lib/presenters/get-run-data";
import { runInput } from "@/lib/presenters/inputs";
import { schedulerUrl } from "@/lib/presenters/scheduler-rpc";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Run ${(await params).id}` };
}

export default async function RunPage({ params }: Props) {
  const actor = await requireActor();
  const parsed = runInput.safeParse(await params);
  if (!parsed.success) notFound();
  const data = await getRunData(getPool(), parsed.data.id, undefined, { schedulerUrl: schedulerUrl() });
  if (!data) notFound();
  return <RunClient initialData={data} canAct={hasRole(actor, "operator")} />;
}
