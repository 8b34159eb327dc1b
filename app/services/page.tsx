import type { Metadata } from "next";
import { ServicesTable } from "@/components/services/services-table-client";
import { requireActor } from "@/lib/auth/current-actor";
import { getPool } from "@/lib/db/client";
import { getServicesData } from "@/lib/presenters/get-services-data";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Services" };

export default async function ServicesPage() {
  await requireActor();
  const data = await getServicesData(getPool());
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Services</h1>
      <ServicesTable data={data} />
    </div>
  );
}
