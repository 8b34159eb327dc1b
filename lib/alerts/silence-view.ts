import type { SilenceRow } from "@/lib/db/alerts/silences";

// A silence as the API answers it and the pages show it: camelCase, ISO instants.

export type SilenceView = { id: number; endsAt: string; reason: string | null; createdBy: string; createdAt: string };

export const silenceView = (s: SilenceRow): SilenceView => ({
  id: Number(s.id),
  endsAt: s.ends_at.toISOString(),
  reason: s.reason,
  createdBy: s.created_by,
  createdAt: s.created_at.toISOString(),
});
