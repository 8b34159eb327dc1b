import Link from "next/link";
import { SilenceAction } from "@/components/actions/silence-action-client";
import { formatUtc } from "@/components/format/format";
import type { SilenceView } from "@/lib/alerts/silence-view";

// The services whose alerts are silenced now, on the Incidents page: until when, by whom and why,
// and the button that ends each silence.

export function SilencesList({ silences, canAct }: { silences: Array<SilenceView & { service: string }>; canAct: boolean }) {
  if (silences.length === 0) return null;
  return (
    <section aria-labelledby="silences-heading" className="space-y-2" data-testid="silences">
      <h2 id="silences-heading" className="text-lg font-semibold">
        Silenced <span className="text-sm font-normal text-zinc-500">({silences.length})</span>
      </h2>
      <ul className="space-y-1 text-sm">
        {silences.map((s) => (
          <li key={s.id} className="flex flex-wrap items-center gap-x-3 gap-y-1" data-silence={s.service}>
            <span>
              <Link href={`/services/${encodeURIComponent(s.service)}`} className="font-medium underline underline-offset-2">
                {s.service}
              </Link>{" "}
              until {formatUtc(s.endsAt)} UTC, by {s.createdBy}
              {s.reason ? <span className="text-zinc-500">: {s.reason}</span> : null}
            </span>
            {canAct ? <SilenceAction service={s.service} silenced /> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
