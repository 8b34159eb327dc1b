import { TASK_STATUSES } from "@/lib/presenters/inputs";
import type { TasksQuery } from "@/lib/presenters/get-tasks-data";

const field = "rounded border border-zinc-300 bg-white px-2 py-1 dark:border-zinc-700 dark:bg-zinc-900";

/** A plain GET form: the search is in the URL, so it can be bookmarked and shared. */
export function TaskSearchForm({ query, families }: { query: TasksQuery; families: string[] }) {
  return (
    <form action="/tasks" method="get" role="search" className="flex flex-wrap items-end gap-3 text-sm">
      <label className="flex flex-col gap-1">
        <span className="text-xs text-zinc-500">Family</span>
        <input name="family" list="task-families" defaultValue={query.family ?? ""} placeholder="e.g. Extract" className={`${field} w-48`} />
        <datalist id="task-families">
          {families.map((f) => (
            <option key={f} value={f} />
          ))}
        </datalist>
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-xs text-zinc-500">Parameters (name=value, one per line)</span>
        <textarea name="param" rows={2} defaultValue={query.param.join("\n")} placeholder={"service_id=7\nday=2026-11-22"} className={`${field} w-64 font-mono text-xs`} />
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-xs text-zinc-500">Latest status</span>
        <select name="status" defaultValue={query.status ?? ""} className={field}>
          <option value="">any</option>
          {TASK_STATUSES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      <button type="submit" className="rounded bg-zinc-900 px-3 py-1.5 text-white dark:bg-zinc-100 dark:text-zinc-900">
        Search
      </button>
    </form>
  );
}
