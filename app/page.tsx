import { HomeClient } from "@/components/home/home-client";
import { applyGridFilters, filtersFromParams } from "@/components/grid/grid-filters";
import { requireActor } from "@/lib/auth/current-actor";
import { hasRole } from "@/lib/auth/roles";
import { getPool } from "@/lib/db/client";
import { sharedHomeData } from "@/lib/presenters/get-home-data";

export const dynamic = "force-dynamic";

/** As many as the grid puts in the server's HTML (status-grid-client.tsx, SSR_GROUPS × GROUP_SIZE). */
const SERVER_ROWS = 100;

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function HomePage({ searchParams }: Props) {
  const actor = await requireActor();
  // the browser fetches the whole model right after this HTML: one computation serves both
  const data = await sharedHomeData(getPool());
  // The weekly grid's rows travel to the browser twice — as HTML and as the data its filters and
  // polls work on. The page carries only the rows the screen shows first (filtered and sorted as
  // the URL asks, so the browser's first render is the same), and the browser fetches the whole
  // read model at once: a 1,000-service home page's HTML halves (bench/dashboard/README).
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(await searchParams)) if (typeof v === "string") params.set(k, v);
  const first = applyGridFilters(data.grid.rows, filtersFromParams(params)).slice(0, SERVER_ROWS);
  const partial = data.grid.rows.length > SERVER_ROWS;
  const initialData = partial ? { ...data, grid: { ...data.grid, rows: first, totalRows: data.grid.rows.length } } : data;
  return <HomeClient initialData={initialData} canAct={hasRole(actor, "operator")} />;
}
