import type { Metadata } from "next";
import { ChannelsClient } from "@/components/channels/channels-client";
import { requireActor } from "@/lib/auth/current-actor";
import { hasRole } from "@/lib/auth/roles";
import { getPool } from "@/lib/db/client";
import { getChannelsData } from "@/lib/presenters/get-channels-data";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Channels" };

// Where alerts go. Everybody signed in may look (without secrets); only admins change anything.
export default async function ChannelsPage() {
  const actor = await requireActor();
  const isAdmin = hasRole(actor, "admin");
  const data = await getChannelsData(getPool(), isAdmin);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Channels</h1>
        <p className="text-sm text-zinc-500">
          Where incident messages and daily digests go: Slack, signed webhooks and e-mail. Channels from SWITCHYARD_ALERT_CHANNELS are shown read-only; those added
          here or in the services file take effect on the runners&apos; next pass, without a restart.
        </p>
      </div>
      <ChannelsClient initialData={data} isAdmin={isAdmin} />
    </div>
  );
}
