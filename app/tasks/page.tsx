import type { Metadata } from "next";
import { TaskResults } from "@/components/tasks/task-results";
import { TaskSearchForm } from "@/components/tasks/task-search-form";
import { requireActor } from "@/lib/auth/current-actor";
import { getPool } from "@/lib/db/client";
import { getTasksData } from "@/lib/presenters/get-tasks-data";
import { fromSearchParams, tasksInput } from "@/lib/presenters/inputs";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Tasks" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function TasksPage({ searchParams }: Props) {
  await requireActor();
  const parsed = tasksInput.safeParse(fromSearchParams(await searchParams, ["param"]));
  const query = parsed.success ? parsed.data : tasksInput.parse({});
  const data = await getTasksData(getPool(), query);
  const next = new URLSearchParams();
  if (query.family) next.set("family", query.family);
  if (query.param.length) next.set("param", query.param.join("\n"));
  if (query.status) next.set("status", query.status);
  if (data.nextBefore) next.set("before", String(data.nextBefore));
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Tasks</h1>
      <p className="text-sm text-zinc-500">Search Luigi&apos;s task history by family, parameter values and latest status. Newest first.</p>
      <TaskSearchForm query={query} families={data.families} />
      {!parsed.success ? <p className="text-sm text-red-700 dark:text-red-400">{parsed.error.issues.map((i) => i.message).join("; ")}</p> : null}
      <TaskResults data={data} nextHref={data.nextBefore ? `/tasks?${next.toString()}` : null} />
    </div>
  );
}
