import { formatAgo } from "@/components/format/format";
import { STACKED_ROW, STACKED_TABLE, stacked } from "@/components/ui/table";
import type { DeliveryView } from "@/lib/presenters/delivery-view";

// Each channel's recent deliveries: a message that keeps failing is shown with its last error,
// never dropped silently. Nothing here reads a channel's secrets (lib/db/alerts/channels.ts).

const STATUS: Record<string, string> = {
  sent: "text-emerald-700 dark:text-emerald-400",
  failed: "text-red-700 dark:text-red-400",
  pending: "text-amber-700 dark:text-amber-400",
  sending: "text-amber-700 dark:text-amber-400",
  skipped: "text-zinc-500",
};

export function DeliveriesTable({ channels, now }: { channels: Array<{ name: string; deliveries: DeliveryView[] }>; now: string }) {
  if (channels.length === 0) return <p className="text-sm text-zinc-500">No deliveries yet. Channels are on the Channels page (/channels) or in SWITCHYARD_ALERT_CHANNELS.</p>;
  return (
    <div className="space-y-4">
      {channels.map((c) => (
        <section key={c.name} aria-label={`Deliveries to ${c.name}`}>
          <h3 className="font-medium">{c.name}</h3>
          <table className={`w-full text-left text-sm ${STACKED_TABLE}`}>
            <tbody>
              {c.deliveries.map((d) => (
                <DeliveryRow key={d.id} delivery={d} now={now} />
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}

/** A delivery table's cell: a column on a wide screen, a labelled line on a phone (a long error wraps). */
const cell = (classes: string) => stacked(`py-1 pr-3 ${classes}`, "max-sm:before:w-20");

/** One outbox row: its outcome, event, when, attempts, and what it said — with the last error of a failing one. */
export function DeliveryRow({ delivery: d, now }: { delivery: DeliveryView; now: string }) {
  return (
    <tr className={`border-t border-zinc-200 align-top dark:border-zinc-800 ${STACKED_ROW}`}>
      <td data-label="Outcome" className={cell(STATUS[d.status] ?? "")}>{d.status}</td>
      <td data-label="Event" className={cell("")}>{d.event}</td>
      <td data-label="When" className={cell("whitespace-nowrap")}>{formatAgo(d.sentAt ?? d.createdAt, now)}</td>
      <td data-label="Attempts" className={cell("")}>
        {d.attempts} attempt{d.attempts === 1 ? "" : "s"}
      </td>
      <td data-label="Message" className={cell("")}>
        <div className="min-w-0">
          {d.summary}
          {d.lastError ? <div className="font-mono text-xs [overflow-wrap:anywhere] text-red-700 dark:text-red-400">{d.lastError}</div> : null}
        </div>
      </td>
    </tr>
  );
}
