import type { Metadata } from "next";
import Link from "next/link";
import { AuditTable } from "@/components/audit/audit-table";
import { requireActor } from "@/lib/auth/current-actor";
import { redactAuditResult } from "@/lib/auth/redact";
import { getPool } from "@/lib/db/client";
import { getAuditData } from "@/lib/presenters/get-audit-data";
import { auditInput, fromSearchParams } from "@/lib/presenters/inputs";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Audit log" };

const field = "rounded border border-zinc-300 bg-white px-2 py-1 dark:border-zinc-700 dark:bg-zinc-900";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AuditPage({ searchParams }: Props) {
  const actor = await requireActor();
  const parsed = auditInput.safeParse(fromSearchParams(await searchParams));
  const query = parsed.success ? parsed.data : auditInput.parse({});
  const data = await getAuditData(getPool(), query);
  const next = new URLSearchParams();
  for (const key of ["actor", "action", "targetType", "targetId", "outcome", "within"] as const) if (query[key]) next.set(key, String(query[key]));
  if (data.nextBefore) next.set("before", String(data.nextBefore));
  // the same entries from GET /api/v1/audit, for a postmortem or a SIEM (as many as it gives at once)
  const exported = new URLSearchParams({ limit: "500" });
  for (const key of ["actor", "action", "targetType", "targetId", "outcome", "since", "before"] as const) {
    const value = key === "since" ? data.since : query[key];
    if (value) exported.set(key, String(value));
  }
  const text = (name: keyof typeof query, label: string) => (
    <label className="flex flex-col gap-1">
      <span className="text-xs text-zinc-500">{label}</span>
      <input name={name} defaultValue={(query[name] as string | null) ?? ""} className={`${field} w-40`} />
    </label>
  );
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Audit log</h1>
      <p className="text-sm text-zinc-500">
        Who did what, when, why, and what happened.{" "}
        <a href={`/api/v1/audit?${exported.toString()}`} className="underline underline-offset-2" data-testid="audit-export">
          These entries as JSON
        </a>{" "}
        (up to 500; <code>switchyard audit list</code> from a terminal).
      </p>
      <form action="/audit" method="get" role="search" className="flex flex-wrap items-end gap-3 text-sm">
        {text("actor", "Who")}
        {text("action", "Action")}
        {text("targetType", "Target type")}
        {text("targetId", "Target id")}
        <label className="flex flex-col gap-1">
          <span className="text-xs text-zinc-500">Outcome</span>
          <select name="outcome" defaultValue={query.outcome ?? ""} className={field}>
            <option value="">any</option>
            <option>ok</option>
            <option>denied</option>
            <option>error</option>
            <option>pending</option>
          </select>
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-zinc-500">When</span>
          <select name="within" defaultValue={query.within ?? ""} className={field}>
            <option value="">any time</option>
            <option value="1h">the last hour</option>
            <option value="24h">the last 24 hours</option>
            <option value="7d">the last 7 days</option>
          </select>
        </label>
        <button type="submit" className="rounded bg-zinc-900 px-3 py-1.5 text-white dark:bg-zinc-100 dark:text-zinc-900">
          Filter
        </button>
      </form>
      {!parsed.success ? <p className="text-sm text-red-700 dark:text-red-400">{parsed.error.issues.map((i) => i.message).join("; ")}</p> : null}
      <AuditTable entries={data.entries.map((e) => ({ ...e, result: redactAuditResult(e.result, actor) }))} />
      {data.nextBefore ? (
        <Link href={`/audit?${next.toString()}`} className="inline-block rounded border border-zinc-300 px-2 py-1 text-sm dark:border-zinc-700" prefetch={false}>
          Older entries →
        </Link>
      ) : null}
    </div>
  );
}
