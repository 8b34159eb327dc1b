import { silenceView, type SilenceView } from "@/lib/alerts/silence-view";
import { activeSilences } from "@/lib/db/alerts/silences";
import type { Queryable } from "@/lib/db/runs/run-columns";

// The services API answers each service with the silence of its alerts (null when its alerts are
// on), so `switchyard services list` and scripts see what the dashboard shows beside its name.

export async function withSilences<S extends { id: number }>(db: Queryable, services: S[], now: Date): Promise<Array<S & { silence: SilenceView | null }>> {
  const silences = await activeSilences(
    db,
    services.map((s) => s.id),
    now,
  );
  return services.map((s) => {
    const silence = silences.get(s.id);
    return { ...s, silence: silence ? silenceView(silence) : null };
  });
}
