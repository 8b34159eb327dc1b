"use client";

import { useState } from "react";
import { serviceSilenceRequest, serviceSilenceSentence } from "@/components/actions/action-requests";
import { ConfirmAction } from "@/components/actions/confirm-action-client";
import { useHydrated } from "@/components/actions/use-hydrated";

// Silence a service's alerts for a chosen while, or end its silence (lib/control/silence.ts),
// through the layout's confirmation dialog like every operator action.

const DURATIONS = [
  { minutes: 60, label: "1 hour" },
  { minutes: 4 * 60, label: "4 hours" },
  { minutes: 24 * 60, label: "24 hours" },
  { minutes: 3 * 24 * 60, label: "3 days" },
  { minutes: 7 * 24 * 60, label: "a week" },
];

export function SilenceAction({ service, silenced }: { service: string; silenced: boolean }) {
  const [minutes, setMinutes] = useState(DURATIONS[1].minutes);
  const hydrated = useHydrated();
  if (silenced) {
    return <ConfirmAction label="End silence" title={`End the silence of ${service}`} sentence={serviceSilenceSentence(service, null)} request={serviceSilenceRequest(service, null)} />;
  }
  const label = DURATIONS.find((d) => d.minutes === minutes)!.label;
  return (
    <span className="inline-flex items-center gap-1">
      <ConfirmAction label="Silence alerts" ariaLabel={`Silence the alerts of ${service} for ${label}`} title={`Silence ${service} for ${label}`} sentence={serviceSilenceSentence(service, minutes, label)} request={serviceSilenceRequest(service, minutes)} />
      <select
        aria-label="Silence for"
        value={minutes}
        disabled={!hydrated}
        onChange={(e) => setMinutes(Number(e.target.value))}
        className="rounded border border-zinc-300 bg-white px-1.5 py-1 text-sm dark:border-zinc-600 dark:bg-zinc-900"
      >
        {DURATIONS.map((d) => (
          <option key={d.minutes} value={d.minutes}>
            for {d.label}
          </option>
        ))}
      </select>
    </span>
  );
}
