"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState } from "react";
import {
  disableWorkerRequest,
  disableWorkerSentence,
  schedulerPauseRequest,
  schedulerPauseSentence,
  workerProcessesRequest,
  workerProcessesSentence,
} from "@/components/actions/action-requests";
import { ConfirmAction } from "@/components/actions/confirm-action-client";
import { formatAgo } from "@/components/format/format";
import { workersQuery } from "@/components/live/query-options";
import { TableHeader } from "@/components/ui/table-header";
import { TABLE, TABLE_FRAME, TBODY, TD } from "@/components/ui/table";
import type { ResourceRow, WorkerRow, WorkersData } from "@/lib/presenters/get-workers-data";

// Luigi's visualiser's workers and resources tabs, in the dashboard: every worker the scheduler
// knows with what it runs and its host's load, every configured resource with who holds it, and
// the scheduler's pause switch. Actions are operator-only and go through the confirmation dialog.

const pct = (v: number | null | undefined) => (v === null || v === undefined ? "—" : `${Math.round(v)}%`);

export function WorkersClient({ initialData, canAct }: { initialData: WorkersData; canAct: boolean }) {
  const { data = initialData } = useQuery({ ...workersQuery(), initialData });
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">Workers</h1>
        <SchedulerSwitch paused={data.paused} canAct={canAct} />
      </div>
      {!data.reachable ? (
        <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
          The scheduler did not answer: {data.message}
        </p>
      ) : null}
      <WorkersTable workers={data.workers} now={data.generatedAt} canAct={canAct} />
      <ResourcesTable resources={data.resources} />
    </div>
  );
}

function SchedulerSwitch({ paused, canAct }: { paused: boolean | null; canAct: boolean }) {
  if (paused === null) return null;
  return (
    <div className="flex items-center gap-3">
      <span className={paused ? "text-sm font-semibold text-amber-700 dark:text-amber-400" : "text-sm text-zinc-500"} data-testid="scheduler-paused">
        {paused ? "Scheduler paused: workers get no new tasks" : "Scheduler running"}
      </span>
      {canAct ? (
        <ConfirmAction
          label={paused ? "Unpause scheduler" : "Pause scheduler"}
          title={paused ? "Unpause the scheduler" : "Pause the scheduler"}
          sentence={schedulerPauseSentence(!paused)}
          request={schedulerPauseRequest(!paused)}
          danger={!paused}
        />
      ) : null}
    </div>
  );
}

function WorkersTable({ workers, now, canAct }: { workers: WorkerRow[]; now: string; canAct: boolean }) {
  const columns = ["Worker", "Host", "Last seen", "Processes", "Running", "Pending", "Host CPU / memory", ...(canAct ? ["Actions"] : [])];
  return (
    <section aria-labelledby="workers-heading" className="space-y-2">
      <h2 id="workers-heading" className="text-lg font-medium">
        Workers <span className="text-sm font-normal text-zinc-500">({workers.length})</span>
      </h2>
      {workers.length === 0 ? (
        <p className="text-sm text-zinc-500">No worker is connected to the scheduler.</p>
      ) : (
        <div className={TABLE_FRAME}>
          <table className={TABLE}>
            <TableHeader columns={columns} />
            <tbody className={TBODY}>
              {workers.map((w) => (
                <tr key={w.name} data-testid="worker-row" className="align-top">
                  <td className={TD}>
                    <div className="font-mono text-xs [overflow-wrap:anywhere]">{w.name}</div>
                    <div className="flex flex-wrap gap-x-2 text-xs">
                      {w.runId !== null ? (
                        <Link href={`/runs/${w.runId}`} prefetch={false} className="whitespace-nowrap underline" data-testid="worker-run">
                          run #{w.runId}
                        </Link>
                      ) : null}
                      {w.state === "disabled" ? <span className="font-semibold text-amber-700 dark:text-amber-400">disabled</span> : null}
                    </div>
                    {w.running.length > 0 ? (
                      <ul className="mt-1 space-y-0.5 text-xs text-zinc-600 dark:text-zinc-300">
                        {w.running.map((t) => (
                          <li key={t.taskId}>
                            ▶ {t.displayName}
                            {t.startedAt ? <span className="text-zinc-500"> · since {formatAgo(t.startedAt, now)}</span> : null}
                          </li>
                        ))}
                      </ul>
                    ) : null}
                  </td>
                  <td className={TD}>
                    {w.host ?? "—"}
                    {w.pid !== null ? <div className="text-xs text-zinc-500">pid {w.pid}</div> : null}
                  </td>
                  <td className={`${TD} whitespace-nowrap`}>{formatAgo(w.lastActiveAt, now)}</td>
                  <td className={`${TD} tabular-nums`}>{w.processes ?? "—"}</td>
                  <td className={`${TD} tabular-nums`}>{w.numRunning}</td>
                  <td className={`${TD} tabular-nums`}>{w.numPending}</td>
                  <td className={`${TD} whitespace-nowrap tabular-nums`}>
                    {w.hostNow ? `${pct(w.hostNow.cpuPercent)} / ${pct(w.hostNow.memoryPercent)}` : <span className="text-zinc-500">not sampled</span>}
                  </td>
                  {canAct ? (
                    <td className={TD}>
                      <WorkerActions worker={w} />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function WorkerActions({ worker }: { worker: WorkerRow }) {
  const [processes, setProcesses] = useState(String(worker.processes ?? 1));
  const id = useId();
  const n = Number(processes);
  const valid = Number.isInteger(n) && n >= 1 && n <= 1000;
  if (worker.state === "disabled") return <span className="text-xs text-zinc-500">—</span>;
  return (
    <div className="flex flex-wrap items-center gap-1">
      <ConfirmAction small label="Disable" ariaLabel={`Disable ${worker.name}`} title="Disable a worker" sentence={disableWorkerSentence(worker.name)} request={disableWorkerRequest(worker.name)} danger />
      <label htmlFor={id} className="sr-only">
        Processes for {worker.name}
      </label>
      <input
        id={id}
        type="number"
        min={1}
        max={1000}
        value={processes}
        onChange={(e) => setProcesses(e.target.value)}
        className="w-16 rounded border border-zinc-300 bg-white px-1 py-0.5 text-xs dark:border-zinc-600 dark:bg-zinc-950"
      />
      <ConfirmAction
        small
        label="Set processes"
        ariaLabel={`Set processes of ${worker.name}`}
        title="Set a worker's processes"
        sentence={workerProcessesSentence(worker.name, n)}
        request={workerProcessesRequest(worker.name, n)}
        disabled={!valid}
      />
    </div>
  );
}

function ResourcesTable({ resources }: { resources: ResourceRow[] }) {
  return (
    <section aria-labelledby="resources-heading" className="space-y-2">
      <h2 id="resources-heading" className="text-lg font-medium">
        Resources
      </h2>
      {resources.length === 0 ? (
        <p className="text-sm text-zinc-500">No resource has a capacity on the scheduler ([resources] in luigi.cfg).</p>
      ) : (
        <div className={TABLE_FRAME}>
          <table className={TABLE}>
            <TableHeader columns={["Resource", "Used / total", "Held by"]} />
            <tbody className={TBODY}>
              {resources.map((r) => (
                <tr key={r.name} className="align-top" data-testid="resource-row">
                  <td className={`${TD} font-mono text-xs`}>{r.name}</td>
                  <td className={`${TD} tabular-nums`}>
                    <span className={r.used >= r.total && r.total > 0 ? "font-semibold text-amber-700 dark:text-amber-400" : undefined}>
                      {r.used} / {r.total}
                    </span>
                  </td>
                  <td className={`${TD} text-xs`}>
                    {r.holders.length === 0 ? (
                      <span className="text-zinc-500">nobody</span>
                    ) : (
                      <ul className="space-y-0.5">
                        {r.holders.map((h) => (
                          <li key={h.taskId}>
                            {h.displayName}
                            {h.worker ? <span className="text-zinc-500"> · {h.worker}</span> : null}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

