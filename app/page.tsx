import { HomeClient } from "@/components/home/home-client";
import { requireActor } from "@/lib/auth/current-actor";
import { hasRole } from "@/lib/auth/roles";
import { getPool } from "@/lib/db/client";
import { getHomeData } from "@/lib/presenters/get-home-data";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const actor = await requireActor();
  const data = await getHomeData(getPool());
  return <HomeClient initialData={data} canAct={hasRole(actor, "operator")} />;
}
