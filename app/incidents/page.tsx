import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DeliveriesTable } from "@/components/incidents/deliveries-table";
import { IncidentsTable } from "@/components/incidents/incidents-table";
import { RefreshAfterAction } from "@/components/incidents/refresh-after-action-client";
import { SilencesList } from "@/components/incidents/silences-list";
import { requireActor } from "@/lib/auth/current-actor";
import { hasRole } from "@/lib/auth/roles";
import { getPool } from "@/lib/db/client";
import { getIncidentsData } from "@/lib/presenters/get-incidents-data";
import { fromSearchParams, incidentsInput } from "@/lib/presenters/inputs";
import { RESOLVED_PAGE } from "@/lib/schemas/incidents";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Incidents" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function IncidentsPage({ searchParams }: Props) {
  const actor = await requireActor();
  const parsed = incidentsInput.safeParse(fromSearchParams(await searchParams));
  if (!parsed.success) notFound();
  const data = await getIncidentsData(getPool(), parsed.data);
  if (!data) notFound();
  const open = data.incidents.filter((i) => i.status === "open").length;
  const service = data.service;
  const older = new URLSearchParams();
  if (service) older.set("service", service.name);
  if (data.nextBefore) older.set("before", String(data.nextBefore));
  const first = new URLSearchParams(service ? { service: service.name } : {});
  const lead = parsed.data.before ? "Older resolved incidents, newest first." : open === 0 ? "Nothing open." : `${open} open.`;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">
          Incidents
          {service ? (
            <>
              {" "}
              of{" "}
              <Link href={`/services/${encodeURIComponent(service.name)}`} className="underline underline-offset-4">
                {service.displayName}
              </Link>
            </>
          ) : null}
        </h1>
        {service ? (
          <p className="text-sm text-zinc-500">
            {lead} This service&apos;s open incidents, then its resolved ones, {RESOLVED_PAGE} a page.{" "}
            <Link href="/incidents" className="underline underline-offset-2">
              Every service&apos;s incidents
            </Link>
          </p>
        ) : (
          <p className="text-sm text-zinc-500">
            {lead} Failed runs with no retry left, dailies not done by their expected time, runs far
            slower than usual, a stuck queue, silent or crash-looping runners, a scheduler the runners cannot reach, tasks
            the scheduler disabled and alert channels that cannot deliver; checked every few seconds by the runners and the web.
          </p>
        )}
      </div>
      {/* a phone scrolls the table sideways, not the whole page */}
      <div className="overflow-x-auto">
        <IncidentsTable incidents={data.incidents} now={data.now} canAct={hasRole(actor, "operator")} silencedUntil={Object.fromEntries(data.silences.map((s) => [s.service, s.endsAt]))} />
      </div>
      <RefreshAfterAction />
      {parsed.data.before || data.nextBefore ? (
        <p className="flex gap-4 text-sm">
          {parsed.data.before ? (
            <Link href={`/incidents${first.size ? `?${first}` : ""}`} className="underline underline-offset-2">
              Open and latest resolved
            </Link>
          ) : null}
          {data.nextBefore ? (
            <Link href={`/incidents?${older}`} className="underline underline-offset-2">
              Older resolved incidents
            </Link>
          ) : null}
        </p>
      ) : null}
      {parsed.data.before ? null : <SilencesList silences={data.silences} canAct={hasRole(actor, "operator")} />}
      {service || parsed.data.before ? null : (
        <div className="space-y-2">
          <h2 className="text-lg font-semibold">Deliveries</h2>
          <DeliveriesTable channels={data.channels} now={data.now} />
        </div>
      )}
    </div>
  );
}
