import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ServiceClient } from "@/components/services/service-client";
import { requireActor } from "@/lib/auth/current-actor";
import { hasRole } from "@/lib/auth/roles";
import { getPool } from "@/lib/db/client";
import { getServiceData } from "@/lib/presenters/get-service-data";
import { serviceInput } from "@/lib/presenters/inputs";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ name: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: (await params).name };
}

export default async function ServicePage({ params }: Props) {
  const actor = await requireActor();
  const parsed = serviceInput.safeParse(await params);
  if (!parsed.success) notFound();
  const data = await getServiceData(getPool(), parsed.data.name);
  if (!data) notFound();
  return <ServiceClient initialData={data} canAct={hasRole(actor, "operator")} canEdit={hasRole(actor, "admin")} />;
}
