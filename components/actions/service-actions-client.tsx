"use client";

import { servicePauseRequest, servicePauseSentence, rerunRequest, rerunSentence } from "@/components/actions/action-requests";
import { BackfillAction } from "@/components/actions/backfill-action-client";
import { ConfirmAction } from "@/components/actions/confirm-action-client";
import { SilenceAction } from "@/components/actions/silence-action-client";

// A service's actions: run today's daily now (forced), backfill a range, pause or resume, silence
// its alerts or end the silence.

export function ServiceActions({ service, paused, silenced, today, hourly }: { service: string; paused: boolean; silenced: boolean; today: string; hourly: boolean }) {
  const todayRun = { id: 0, serviceName: service, kind: "daily" as const, periodDate: today, periodHour: null };
  return (
    <div className="flex flex-wrap gap-2">
      <ConfirmAction label="Run today now" title={`Run ${service} for ${today}`} sentence={rerunSentence(todayRun, { force: true })} request={rerunRequest(todayRun, { force: true })} />
      <BackfillAction service={service} today={today} hourly={hourly} />
      <ConfirmAction
        label={paused ? "Resume" : "Pause"}
        title={`${paused ? "Resume" : "Pause"} ${service}`}
        sentence={servicePauseSentence(service, !paused)}
        request={servicePauseRequest(service, !paused)}
        danger={!paused}
      />
      <SilenceAction service={service} silenced={silenced} />
    </div>
  );
}
