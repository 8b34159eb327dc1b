import type { Metadata } from "next";
import { DeliveriesTable } from "@/components/incidents/deliveries-table";
import { IncidentsTable } from "@/components/incidents/incidents-table";
import { RefreshAfterAction } from "@/components/incidents/refresh-after-action-client";
import { requireActor } from "@/lib/auth/current-actor";
import { hasRole } from "@/lib/auth/roles";
import { getPool } from "@/lib/db/client";
import { getIncidentsData } from "@/lib/presenters/get-incidents-data";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Incidents" };

export default async function IncidentsPage() {
  const actor = await requireActor();
  const data = await getIncidentsData(getPool());
  const open = data.incidents.filter((i) => i.status === "open").length;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Incidents</h1>
        <p className="text-sm text-zinc-500">
          {open === 0 ? "Nothing open." : `${open} open.`} Failed runs with no retry left, dailies not done by their expected time, runs far
          slower than usual, a stuck queue, silent or crash-looping runners, a scheduler the runners cannot reach and tasks
          the scheduler disabled; checked every few seconds by the runners and the web.
        </p>
      </div>
      {/* a phone scrolls the table sideways, not the whole page */}
      <div className="overflow-x-auto">
        <IncidentsTable incidents={data.incidents} now={data.now} canAct={hasRole(actor, "operator")} />
      </div>
      <RefreshAfterAction />
      <div className="space-y-2">
        <h2 className="text-lg font-semibold">Deliveries</h2>
        <DeliveriesTable channels={data.channels} now={data.now} />
      </div>
    </div>
  );
}
