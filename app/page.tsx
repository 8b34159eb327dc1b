import { getPool } from "@/lib/db/client";
import { getHomeData } from "@/lib/presenters/get-home-data";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const data = await getHomeData(getPool());
  return (
    <section className="space-y-4">
      <h1 className="text-2xl font-semibold">Fleet</h1>
      <dl className="grid max-w-xl grid-cols-2 gap-4">
        <div className="rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
          <dt className="text-sm text-zinc-500">Services</dt>
          <dd className="text-3xl font-semibold" data-testid="services-count">
            {data.services.total}
          </dd>
          <dd className="text-sm text-zinc-500">{data.services.enabled} enabled</dd>
        </div>
        <div className="rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
          <dt className="text-sm text-zinc-500">Database schema</dt>
          <dd className="font-mono text-sm" data-testid="latest-migration">
            {data.latestMigration?.name ?? "not migrated"}
          </dd>
        </div>
      </dl>
    </section>
  );
}
