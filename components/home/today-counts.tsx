import { StatusLetter } from "@/components/status/status-letter";
import type { Counts } from "@/lib/presenters/daily-grid";
import type { HomeData } from "@/lib/presenters/get-home-data";

// Today's runs at a glance: done, running/pending, failed, missing — dailies (the run due today,
// for yesterday's data) and today's hourlies, each service in its own time zone.

/** What the four counts leave out of the total, so the numbers add up: "2 not due yet · 1 cancelled". */
function restOfTotal(counts: Counts, notDue: string): string {
  return [counts.notDue > 0 ? `${counts.notDue} ${notDue}` : "", counts.cancelled > 0 ? `${counts.cancelled} cancelled` : ""].filter(Boolean).join(" · ");
}

function CountRow({ title, counts, unit, notDue }: { title: string; counts: Counts; unit: string; notDue: string }) {
  const rest = restOfTotal(counts, notDue);
  const items = [
    { key: "done", label: "done", letter: "D" as const, value: counts.done },
    { key: "active", label: "running / pending", letter: "R" as const, value: counts.running + counts.pending },
    { key: "failed", label: "failed", letter: "F" as const, value: counts.failed },
    { key: "missing", label: "missing", letter: "M" as const, value: counts.missing },
  ];
  return (
    <div className="rounded-lg border border-zinc-200 p-4 dark:border-zinc-800" data-testid={`${title.toLowerCase()}-tile`}>
      <h3 className="text-sm font-medium text-zinc-500">
        {title} <span className="font-normal">· {counts.total} {unit}</span>
      </h3>
      <dl className="mt-2 grid grid-cols-2 gap-3 sm:grid-cols-4">
        {items.map((i) => (
          <div key={i.key} data-testid={`${title.toLowerCase()}-${i.key}`}>
            <dt className="flex items-center gap-1.5 text-xs text-zinc-500">
              <StatusLetter letter={i.letter} />
              {i.label}
            </dt>
            <dd className={`text-2xl font-semibold tabular-nums ${i.value > 0 && (i.key === "failed" || i.key === "missing") ? "text-red-700 dark:text-red-400" : ""}`}>{i.value}</dd>
          </div>
        ))}
      </dl>
      {rest ? <p className="mt-2 text-xs text-zinc-500">{rest}</p> : null}
    </div>
  );
}

export function TodayCounts({ data }: { data: HomeData }) {
  return (
    <section aria-labelledby="today-heading" className="space-y-3">
      <h2 id="today-heading" className="text-lg font-semibold">
        Today
      </h2>
      <div className="grid gap-4 lg:grid-cols-[1fr_1fr_auto]">
        <CountRow title="Dailies" counts={data.today.daily} unit="enabled services, yesterday's data" notDue="not due yet" />
        <CountRow title="Hourlies" counts={data.today.hourly} unit={`hours of ${data.services.hourly} enabled hourly services`} notDue="hours not due yet" />
        <dl className="grid grid-cols-2 gap-4 rounded-lg border border-zinc-200 p-4 lg:grid-cols-1 dark:border-zinc-800">
          <div>
            <dt className="text-sm text-zinc-500">Services</dt>
            <dd className="text-2xl font-semibold tabular-nums" data-testid="services-count">
              {data.services.total}
            </dd>
            <dd className="text-xs text-zinc-500">{data.services.enabled} enabled</dd>
          </div>
          <div>
            <dt className="text-sm text-zinc-500">Database schema</dt>
            <dd className="font-mono text-xs break-all" data-testid="latest-migration">
              {data.latestMigration?.name ?? "not migrated"}
            </dd>
          </div>
        </dl>
      </div>
    </section>
  );
}
