"use client";

import { useQuery } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import Link from "next/link";
import { RunActions } from "@/components/actions/run-actions-client";
import { formatPeriod } from "@/components/format/format";
import { LiveStatus } from "@/components/live/live-status";
import { dashboardKeys } from "@/components/live/query-keys";
import { runQuery } from "@/components/live/query-options";
import { useIdlePulse } from "@/components/live/use-idle-pulse";
import { AttemptsTable } from "@/components/run/attempts-table";
import { RunError } from "@/components/run/run-error";
import { RunLog } from "@/components/run/run-log-client";
import { RunIncidents } from "@/components/run/run-incidents";
import { RunSummary } from "@/components/run/run-summary";
import { RunTasks } from "@/components/run/run-tasks";
import { RunTimeline } from "@/components/run/run-timeline";
import type { RunData } from "@/lib/presenters/get-run-data";

// The DAG is laid out in a Web Worker, so the server has nothing to draw: the component and its
// layout engine load in the browser only.
const RunDag = dynamic(() => import("@/components/run/run-dag-client").then((m) => m.RunDag), {
  ssr: false,
  loading: () => <p className="text-sm text-zinc-500">Laying out the task graph…</p>,
});

function Section({ id, title, children }: { id: string; title: React.ReactNode; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="space-y-3">
      <h2 id={id} className="text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

export function RunClient({ initialData, canAct }: { initialData: RunData; canAct: boolean }) {
  const { data, error } = useQuery({ ...runQuery(initialData.run.id), initialData, initialDataUpdatedAt: Date.parse(initialData.generatedAt) });
  // a finished run can still get a new attempt (retry, re-run): the pulse notices it
  useIdlePulse(!data.active, dashboardKeys.run(initialData.run.id));
  const run = data.run;
  // the latest run decides the period: say so on a run a later one replaced
  const later = data.attempts.filter((a) => a.id > run.id).at(-1);
  return (
    <div className="space-y-8">
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold">
          Run {run.id}{" "}
          <span className="text-base font-normal text-zinc-500">
            · {run.serviceName} · {formatPeriod(run.periodDate, run.periodHour)} {run.kind}
          </span>
        </h1>
        <LiveStatus generatedAt={data.generatedAt} active={data.active} error={error} />
      </div>
      <RunIncidents incidents={data.incidents ?? []} />
      {later ? (
        <p className="text-sm" data-testid="later-run">
          This period has a later run, which decides its status:{" "}
          <Link href={`/runs/${later.id}`} className="font-medium underline" prefetch={false}>
            run {later.id} ({later.status})
          </Link>
        </p>
      ) : null}
      {/* kept mounted when a later run appears: its dialog is still showing the answer */}
      {canAct ? <RunActions run={run} status={run.status} /> : null}
      {/* what failed comes first on a failed run's page (issue 13), before the run's particulars */}
      {data.failures.length > 0 || run.error ? (
        <Section id="error-heading" title="Error">
          <RunError data={data} canAct={canAct} />
        </Section>
      ) : null}
      <RunSummary run={run} now={data.generatedAt} />
      <Section id="attempts-heading" title={`Every run of this period (${data.attempts.length})`}>
        <AttemptsTable attempts={data.attempts} currentId={run.id} />
      </Section>
      <Section id="graph-heading" title="Task graph">
        <p className="text-xs text-zinc-500">
          The root task and everything it depends on{data.edgesFrom === "scheduler" ? " (dependencies as the scheduler holds them now: none were stored for this run)" : ""}, with each task&apos;s status as of this run.
        </p>
        <RunDag tasks={data.tasks} />
      </Section>
      <Section id="timeline-heading" title="Timeline">
        <RunTimeline data={data} />
      </Section>
      <Section id="tasks-heading" title={`Tasks (${data.tasks.length})`}>
        <RunTasks data={data} canAct={canAct} />
      </Section>
      <Section id="log-heading" title="Log">
        <RunLog runId={run.id} running={data.active} />
      </Section>
    </div>
  );
}
