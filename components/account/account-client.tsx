"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { NewTokenAction } from "@/components/account/new-token-action-client";
import { ConfirmAction } from "@/components/actions/confirm-action-client";
import { formatAgo } from "@/components/format/format";
import { fetchJson } from "@/components/live/fetch-json";
import { SLOW_POLL_MS } from "@/components/live/query-options";
import { dashboardKeys } from "@/components/live/query-keys";
import { STACKED_HEAD, STACKED_ROW, STACKED_TABLE, TABLE, TABLE_FRAME, TBODY, TD, stacked } from "@/components/ui/table";
import { TableHeader } from "@/components/ui/table-header";
import type { Person, PersonToken } from "@/lib/db/queries/select-people";

// One's own account: who the dashboard thinks you are, and your API tokens — made here (shown once),
// revoked here, each change in the audit log. An admin sees everyone's on the People page.

export type AccountData = { user: Person | null; now: string };

const STATE_CLASS: Record<PersonToken["state"], string> = {
  active: "text-emerald-700 dark:text-emerald-400",
  expired: "text-zinc-500",
  revoked: "text-zinc-500",
};

export function AccountClient({ initialData, origin }: { initialData: AccountData; origin: string }) {
  const { data } = useQuery({
    queryKey: [...dashboardKeys.all, "account"],
    queryFn: ({ signal }) => fetchJson<AccountData>("/api/v1/account", signal),
    initialData,
    refetchInterval: SLOW_POLL_MS,
  });
  const me = data.user;
  if (!me) return <p className="text-sm">Your account was not found: sign out and in again.</p>;
  const live = me.tokens.filter((t) => t.state === "active");
  return (
    <div className="space-y-8">
      <dl className="grid max-w-prose grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-zinc-500">Name</dt>
        <dd>{me.name}</dd>
        <dt className="text-zinc-500">E-mail</dt>
        <dd className="[overflow-wrap:anywhere]">{me.email}</dd>
        <dt className="text-zinc-500">Role</dt>
        <dd>
          {me.role} <span className="text-zinc-500">{me.role === "admin" ? "(you change roles on the People page)" : "(an admin changes roles, on the People page)"}</span>
        </dd>
        <dt className="text-zinc-500">Signed in</dt>
        <dd>
          on {me.sessions} browser{me.sessions === 1 ? "" : "s"}
          {me.lastSignInAt ? `; last sign-in ${formatAgo(me.lastSignInAt, data.now)}` : ""}
        </dd>
        <dt className="text-zinc-500">History</dt>
        <dd>
          <Link href={`/audit?actor=${encodeURIComponent(me.email)}`} prefetch={false} className="underline">
            what you did
          </Link>
          {" · "}
          <Link href={`/audit?targetType=user&targetId=${encodeURIComponent(me.id)}`} prefetch={false} className="underline">
            changes to your account
          </Link>
        </dd>
      </dl>

      <section className="space-y-3" aria-labelledby="tokens-heading">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="tokens-heading" className="text-lg font-semibold">
            API tokens
          </h2>
          <NewTokenAction role={me.role} />
        </div>
        <p className="max-w-prose text-sm text-zinc-600 dark:text-zinc-400">
          A token lets a script or the <code className="text-xs">switchyard</code> command on another machine act as you, with your role:{" "}
          <code className="text-xs [overflow-wrap:anywhere]">SWITCHYARD_URL={origin} SWITCHYARD_TOKEN=sy_… switchyard runs list</code>, or any <code className="text-xs">/api/v1</code>{" "}
          call with <code className="text-xs">Authorization: Bearer sy_…</code> (the API is described at{" "}
          <a href="/api/v1/openapi.json" className="underline">
            /api/v1/openapi.json
          </a>
          ). Revoke one as soon as it may have leaked.
        </p>
        {me.tokens.length === 0 ? (
          <p className="text-sm text-zinc-500">You have no API tokens.</p>
        ) : (
          <div className={TABLE_FRAME}>
            <table className={`${TABLE} ${STACKED_TABLE}`}>
              <caption className="sr-only">Your API tokens, oldest first</caption>
              <TableHeader columns={["Name", "State", "Made", "Last used", "Expires", ""]} className={STACKED_HEAD} />
              <tbody className={TBODY}>
                {me.tokens.map((t) => (
                  <tr key={t.id} className={STACKED_ROW} data-testid="token">
                    <th scope="row" data-label="Name" className={stacked(`${TD} text-left font-mono font-normal text-xs [overflow-wrap:anywhere]`)}>
                      {t.name}
                    </th>
                    <td data-label="State" className={stacked(`${TD} text-xs ${STATE_CLASS[t.state]}`)}>
                      {t.state}
                    </td>
                    <td data-label="Made" className={stacked(`${TD} text-xs whitespace-nowrap`)}>
                      {t.createdAt.slice(0, 10)}
                    </td>
                    <td data-label="Last used" className={stacked(`${TD} text-xs whitespace-nowrap`)}>
                      {t.lastUsedAt ? formatAgo(t.lastUsedAt, data.now) : "never"}
                    </td>
                    <td data-label="Expires" className={stacked(`${TD} text-xs whitespace-nowrap`)}>
                      {t.expiresAt ? t.expiresAt.slice(0, 10) : "never"}
                    </td>
                    <td data-label="" className={stacked(`${TD} text-xs`)}>
                      {t.state === "active" ? (
                        <ConfirmAction
                          small
                          label="Revoke"
                          ariaLabel={`Revoke your token ${t.name}`}
                          title={`Revoke your token ${t.name}`}
                          sentence={`Revoke your API token "${t.name}": every script or client that uses it is refused from its next call. This cannot be undone; you can make a new one.`}
                          request={{ url: "/api/v1/account/tokens/revoke", body: { token: t.id } }}
                          danger
                        />
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {live.length === 0 && me.tokens.length > 0 ? <p className="text-sm text-zinc-500">None of your tokens works any more.</p> : null}
      </section>
    </div>
  );
}
