import type pg from "pg";
import { actorLabel } from "@/lib/audit/record-audit";
import type { Actor } from "@/lib/auth/roles";
import { audited } from "@/lib/control/audited";
import { conflict } from "@/lib/control/errors";
import { findServiceOrThrow } from "@/lib/control/find-service";
import { loadAlertConfig } from "@/lib/alerts/alert-config";
import { loadChannels } from "@/lib/alerts/channels/load-channels";
import { quietChannels } from "@/lib/alerts/match-channel";
import { silenceView } from "@/lib/alerts/silence-view";
import { endSilence, startSilence } from "@/lib/db/alerts/silences";
import { utcMinute } from "@/lib/time/zoned-time";

// Silence a service's alerts for a while, or end the silence early (lib/db/alerts/silences.ts):
// its incidents still open and show; their open messages are held, and go out when the silence
// ends if the incident is still open. Audited as service.silence / service.unsilence. Ending a
// silence a service does not have is answered `changed: false`, as pausing a paused service.
// Releasing held messages needs to know which channels are in quiet hours: read as the alert
// loop reads them (the environment's and the stored ones).

async function quietNow(db: Parameters<typeof loadChannels>[0], now: Date) {
  return quietChannels(await loadChannels(db, loadAlertConfig().channels), now);
}

export async function silenceService(pool: pg.Pool, actor: Actor, input: { name: string; minutes: number; reason?: string }, now = new Date()) {
  return audited(
    pool,
    actor,
    { intent: "service.silence", targetId: input.name, reason: input.reason },
    async (db) => {
      const service = await findServiceOrThrow(db, input.name);
      const endsAt = new Date(now.getTime() + input.minutes * 60_000);
      try {
        const quiet = await quietNow(db, now);
        const { silence, replaced } = await startSilence(db, { serviceId: service.id, endsAt, reason: input.reason ?? null, by: actorLabel(actor), now, quiet });
        const message = `The alerts of ${input.name} are silenced until ${utcMinute(silence.ends_at)}${replaced ? ` (it was silenced until ${utcMinute(replaced.ends_at)})` : ""}`;
        return { service: input.name, silence: silenceView(silence), replaced: replaced ? silenceView(replaced) : null, message };
      } catch (error) {
        // two silences set at once: the one-per-service index lets one through
        if ((error as { code?: string }).code === "23505") throw conflict(`another silence of ${input.name} was set at the same moment: look at the service's page and try again`);
        throw error;
      }
    },
    (r) => ({ endsAt: r.silence.endsAt, replaced: r.replaced?.id ?? null }),
  );
}

export async function unsilenceService(pool: pg.Pool, actor: Actor, input: { name: string; reason?: string }, now = new Date()) {
  return audited(
    pool,
    actor,
    { intent: "service.unsilence", targetId: input.name, reason: input.reason },
    async (db) => {
      const service = await findServiceOrThrow(db, input.name);
      const ended = await endSilence(db, service.id, actorLabel(actor), now, await quietNow(db, now));
      const message = ended
        ? `The silence of ${input.name} ended: ${ended.released === 0 ? "no held message was waiting" : `${ended.released} held message${ended.released === 1 ? "" : "s"} about incidents still open queued`}`
        : `${input.name} was not silenced`;
      return { service: input.name, changed: ended !== null, silence: ended ? silenceView(ended.silence) : null, released: ended?.released ?? 0, message };
    },
    (r) => ({ changed: r.changed, released: r.released }),
  );
}
