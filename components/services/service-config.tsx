import { formatDuration, formatUtc } from "@/components/format/format";
import type { ServiceData } from "@/lib/presenters/get-service-data";

// A service's configuration as stored. Environment values can hold credentials, so the read
// model carries only the variables' names.

export function ServiceConfig({ service, nextDaily }: { service: ServiceData["service"]; nextDaily?: ServiceData["nextDaily"] }) {
  const items: Array<[string, React.ReactNode]> = [
    ["Display name", service.displayName],
    ["State", service.paused ? "paused" : service.enabled ? "enabled" : "disabled"],
    ["Time zone", service.timeZone],
    ["Daily run due at", `${service.dailyTime} local`],
    ["Next daily run", nextDaily ? <span key="n" data-testid="next-daily">for {nextDaily.date}, due {formatUtc(nextDaily.dueAt)} UTC</span> : "—"],
    ["Expected done by", service.expectedDoneBy ? `${service.expectedDoneBy} local` : "—"],
    ["Hourly runs", service.hourlyEnabled ? `every hour at :${String(service.hourlyMinute).padStart(2, "0")}` : "off"],
    ["Daily command", <code key="d" className="break-all">{service.dailyCommand}</code>],
    ["Hourly command", service.hourlyCommand ? <code key="h" className="break-all">{service.hourlyCommand}</code> : "—"],
    ["Labels", service.labels.length ? service.labels.join(", ") : "—"],
    ["Environment", service.environmentKeys.length ? `${service.environmentKeys.join(", ")} (values hidden)` : "—"],
    ["Concurrency group", service.concurrencyGroup ?? "—"],
    ["Retries", service.retryAttempts > 0 ? `${service.retryAttempts}, ${formatDuration(service.retryBackoffSeconds)} apart` : "none"],
    ["Timeout", formatDuration(service.timeoutSeconds)],
    ["Source", service.source],
    ["Created / updated", `${formatUtc(service.createdAt)} / ${formatUtc(service.updatedAt)} UTC`],
  ];
  return (
    <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[auto_1fr]">
      {items.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-zinc-500">{k}</dt>
          <dd className="min-w-0">{v}</dd>
        </div>
      ))}
    </dl>
  );
}
