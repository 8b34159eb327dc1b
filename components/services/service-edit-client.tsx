"use client";

import { ReasonField } from "@/components/actions/reason-field";
import { useQueryClient } from "@tanstack/react-query";
import { useId, useMemo, useState } from "react";
import { BUTTON } from "@/components/actions/action-dialog-client";
import { ActionError, sendAction } from "@/components/actions/post-action";
import { dashboardKeys } from "@/components/live/query-keys";
import type { ServiceData } from "@/lib/presenters/get-service-data";
import { serviceUpdateSchema } from "@/lib/schemas/services";

// Editing a service (admins): the schedule, commands and limits, checked in the browser with the
// same zod schema the API and the services file use, then shown as a diff of what will change
// before anything is saved. The reason is required and goes into the audit log with the diff.

type Service = ServiceData["service"];
type Draft = {
  displayName: string;
  timeZone: string;
  dailyTime: string;
  expectedDoneBy: string;
  hourly: boolean;
  hourlyMinute: string;
  dailyCommand: string;
  hourlyCommand: string;
  retryAttempts: string;
  retryBackoffSeconds: string;
  timeoutSeconds: string;
  enabled: boolean;
};

function draftOf(s: Service): Draft {
  return {
    displayName: s.displayName,
    timeZone: s.timeZone,
    dailyTime: s.dailyTime,
    expectedDoneBy: s.expectedDoneBy ?? "",
    hourly: s.hourlyEnabled,
    hourlyMinute: String(s.hourlyMinute),
    dailyCommand: s.dailyCommand,
    hourlyCommand: s.hourlyCommand ?? "",
    retryAttempts: String(s.retryAttempts),
    retryBackoffSeconds: String(s.retryBackoffSeconds),
    timeoutSeconds: String(s.timeoutSeconds),
    enabled: s.enabled,
  };
}

const num = (v: string) => (v.trim() === "" ? Number.NaN : Number(v));

/** The PATCH body: only the fields whose value differs from the stored service. */
export function changesOf(before: Draft, after: Draft): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const set = (key: string, a: unknown, b: unknown, value: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) out[key] = value;
  };
  set("displayName", before.displayName, after.displayName, after.displayName.trim());
  set("timeZone", before.timeZone, after.timeZone, after.timeZone.trim());
  set("dailyTime", before.dailyTime, after.dailyTime, after.dailyTime);
  set("expectedDoneBy", before.expectedDoneBy, after.expectedDoneBy, after.expectedDoneBy === "" ? null : after.expectedDoneBy);
  set("hourly", before.hourly, after.hourly, after.hourly);
  set("hourlyMinute", before.hourlyMinute, after.hourlyMinute, num(after.hourlyMinute));
  set("dailyCommand", before.dailyCommand, after.dailyCommand, after.dailyCommand);
  set("hourlyCommand", before.hourlyCommand, after.hourlyCommand, after.hourlyCommand === "" ? null : after.hourlyCommand);
  if (before.retryAttempts !== after.retryAttempts || before.retryBackoffSeconds !== after.retryBackoffSeconds) {
    out.retry = { attempts: num(after.retryAttempts), backoffSeconds: num(after.retryBackoffSeconds) };
  }
  set("timeoutSeconds", before.timeoutSeconds, after.timeoutSeconds, num(after.timeoutSeconds));
  set("enabled", before.enabled, after.enabled, after.enabled);
  return out;
}

const FIELDS: Array<{ key: keyof Draft; label: string; type?: "time" | "number" | "checkbox" | "code"; hint?: string }> = [
  { key: "displayName", label: "Display name" },
  { key: "timeZone", label: "Time zone", hint: "IANA name, e.g. Europe/Berlin" },
  { key: "dailyTime", label: "Daily run due at", type: "time", hint: "local time; the run for day D starts at this time on D+1" },
  { key: "expectedDoneBy", label: "Expected done by", type: "time", hint: "local time; empty for none" },
  { key: "enabled", label: "Enabled", type: "checkbox" },
  { key: "hourly", label: "Hourly runs", type: "checkbox" },
  { key: "hourlyMinute", label: "Hourly minute", type: "number" },
  { key: "dailyCommand", label: "Daily command", type: "code" },
  { key: "hourlyCommand", label: "Hourly command", type: "code", hint: "empty for none" },
  { key: "retryAttempts", label: "Retries", type: "number" },
  { key: "retryBackoffSeconds", label: "Seconds between retries", type: "number" },
  { key: "timeoutSeconds", label: "Timeout (seconds)", type: "number" },
];

export function ServiceEdit({ service }: { service: Service }) {
  const original = useMemo(() => draftOf(service), [service]);
  const [draft, setDraft] = useState<Draft>(original);
  const [reason, setReason] = useState("");
  const [stage, setStage] = useState<"edit" | "review" | "saving" | "saved">("edit");
  const [error, setError] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const ids = { reason: useId(), prefix: useId() };

  const changes = changesOf(original, draft);
  const parsed = serviceUpdateSchema.safeParse({ name: service.name, reason: reason || "-", ...changes });
  const fieldErrors = new Map<string, string>();
  if (!parsed.success) for (const issue of parsed.error.issues) fieldErrors.set(String(issue.path[0] ?? ""), issue.message);
  const nothing = Object.keys(changes).length === 0;

  async function save() {
    setStage("saving");
    setError(null);
    try {
      await sendAction(`/api/v1/services/${encodeURIComponent(service.name)}`, { ...changes, reason }, "PATCH");
      setStage("saved");
      await queryClient.invalidateQueries({ queryKey: dashboardKeys.service(service.name) });
    } catch (e) {
      setError(e instanceof ActionError ? e.message : (e as Error).message);
      setStage("review");
    }
  }

  return (
    <div className="space-y-4" data-testid="service-edit">
      {service.source === "config" ? (
        <p className="rounded border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200">
          This service comes from a services file: the next sync of that file (a runner start, SIGHUP or `switchyard services sync`) overwrites what you change here. Change the file too.
        </p>
      ) : null}
      {stage === "edit" || stage === "saved" ? (
        <form
          className="grid gap-3 sm:grid-cols-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (!nothing && fieldErrors.size === 0) setStage("review");
          }}
        >
          {FIELDS.map((f) => {
            const id = `${ids.prefix}-${f.key}`;
            const problem = fieldErrors.get(f.key === "retryAttempts" || f.key === "retryBackoffSeconds" ? "retry" : f.key === "hourly" ? "hourlyCommand" : f.key);
            const value = draft[f.key];
            return (
              <div key={f.key} className={f.type === "code" ? "space-y-1 sm:col-span-2" : "space-y-1"}>
                <label htmlFor={id} className="block text-sm font-medium">
                  {f.label}
                </label>
                {f.type === "checkbox" ? (
                  <input id={id} type="checkbox" checked={value as boolean} onChange={(e) => setDraft({ ...draft, [f.key]: e.target.checked })} />
                ) : (
                  <input
                    id={id}
                    type={f.type === "time" ? "time" : f.type === "number" ? "number" : "text"}
                    value={value as string}
                    onChange={(e) => setDraft({ ...draft, [f.key]: e.target.value })}
                    aria-invalid={problem ? true : undefined}
                    className={`block w-full rounded border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-950 ${f.type === "code" ? "font-mono" : ""}`}
                  />
                )}
                {problem ? <p className="text-xs text-red-700 dark:text-red-400">{problem}</p> : f.hint ? <p className="text-xs text-zinc-500">{f.hint}</p> : null}
              </div>
            );
          })}
          <div className="flex items-center gap-3 sm:col-span-2">
            <button type="submit" className={BUTTON.primary} disabled={nothing || fieldErrors.size > 0}>
              Review changes
            </button>
            {stage === "saved" ? <span role="status" className="text-sm text-green-700 dark:text-green-400">Saved; the audit log has the change.</span> : null}
          </div>
        </form>
      ) : (
        <div className="space-y-3">
          <h3 className="font-medium">These fields change</h3>
          <table className="text-sm">
            <tbody>
              {Object.entries(changes).map(([k, v]) => (
                <tr key={k} data-testid="service-diff-row">
                  <th scope="row" className="pr-4 text-left font-medium">
                    {k}
                  </th>
                  <td className="pr-2 font-mono text-red-700 line-through dark:text-red-400">{JSON.stringify(beforeValue(service, k))}</td>
                  <td className="font-mono text-green-700 dark:text-green-400">{JSON.stringify(v)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <ReasonField id={ids.reason} value={reason} onChange={setReason} required />
          {error ? (
            <p role="alert" className="text-sm text-red-700 dark:text-red-400">
              {error}
            </p>
          ) : null}
          <div className="flex gap-2">
            <button type="button" className={BUTTON.default} onClick={() => setStage("edit")} disabled={stage === "saving"}>
              Back
            </button>
            <button type="button" className={BUTTON.primary} onClick={save} disabled={stage === "saving" || reason.trim() === ""}>
              {stage === "saving" ? "Saving…" : "Save changes"}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}

function beforeValue(s: Service, key: string): unknown {
  switch (key) {
    case "hourly":
      return s.hourlyEnabled;
    case "retry":
      return { attempts: s.retryAttempts, backoffSeconds: s.retryBackoffSeconds };
    default:
      return (s as unknown as Record<string, unknown>)[key] ?? null;
  }
}
