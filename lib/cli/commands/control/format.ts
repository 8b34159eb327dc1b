// Human output of the control commands: aligned tables, and the few run facts a person reads.
// --json prints the API's answer instead, unchanged, for scripts.

export type RunView = {
  id: number;
  serviceName: string;
  kind: string;
  periodDate: string;
  periodHour: number | null;
  status: string;
  trigger: string;
  attempt: number;
  startedAt: string | null;
  finishedAt: string | null;
  exitCode: number | null;
  host: string | null;
  requestedBy: string | null;
  reason: string | null;
  command: string | null;
  rootTaskId: string | null;
  error: string | null;
  logPath: string | null;
};

export function table(headers: string[], rows: (string | number | null | undefined)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (c === null || c === undefined || c === "" ? "-" : String(c))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join("  ")).join("\n");
}

export function periodOf(run: Pick<RunView, "periodDate" | "periodHour" | "kind">): string {
  return run.kind === "hourly" && run.periodHour !== null ? `${run.periodDate}T${String(run.periodHour).padStart(2, "0")}` : run.periodDate;
}

export function duration(run: Pick<RunView, "startedAt" | "finishedAt">, now = Date.now()): string {
  if (!run.startedAt) return "";
  const seconds = Math.max(0, Math.round(((run.finishedAt ? Date.parse(run.finishedAt) : now) - Date.parse(run.startedAt)) / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, "0")}m`;
}

export function runsTable(runs: RunView[]): string {
  if (runs.length === 0) return "no runs";
  return table(
    ["ID", "SERVICE", "KIND", "PERIOD", "STATUS", "TRIGGER", "ATTEMPT", "STARTED", "DURATION", "EXIT"],
    runs.map((r) => [r.id, r.serviceName, r.kind, periodOf(r), r.status, r.trigger, r.attempt, r.startedAt?.slice(0, 19).replace("T", " "), duration(r), r.exitCode]),
  );
}

export function runDetail(run: RunView): string {
  const rows: [string, unknown][] = [
    ["run", run.id],
    ["service", run.serviceName],
    ["period", `${periodOf(run)} (${run.kind})`],
    ["status", run.status],
    ["trigger", run.trigger],
    ["attempt", run.attempt],
    ["requested by", run.requestedBy],
    ["reason", run.reason],
    ["started", run.startedAt],
    ["finished", run.finishedAt],
    ["duration", duration(run)],
    ["exit code", run.exitCode],
    ["host", run.host],
    ["root task", run.rootTaskId],
    ["command", run.command],
    ["log", run.logPath],
    ["error", run.error],
  ];
  return rows.filter(([, v]) => v !== null && v !== undefined && v !== "").map(([k, v]) => `${k.padEnd(13)} ${String(v)}`).join("\n");
}
