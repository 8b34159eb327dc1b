"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import type { ActionRequest } from "@/components/actions/action-requests";
import { BUTTON, useOpenAction } from "@/components/actions/action-dialog-client";
import { ConfirmAction } from "@/components/actions/confirm-action-client";
import { formatAgo } from "@/components/format/format";
import { emailLinkChoice } from "@/components/people/email-link-choice";
import { fetchJson } from "@/components/live/fetch-json";
import { SLOW_POLL_MS } from "@/components/live/query-options";
import { dashboardKeys } from "@/components/live/query-keys";
import { STACKED_HEAD, STACKED_ROW, STACKED_TABLE, TABLE, TABLE_FRAME, TBODY, TD, stacked } from "@/components/ui/table";
import { TableHeader } from "@/components/ui/table-header";
import { roles, type Role } from "@/lib/auth/roles";
import type { Person, PersonToken } from "@/lib/db/queries/select-people";

// The People page's table: each account with its role (changed from a menu, confirmed with a
// reason), whether it may sign in, where it is signed in, and its API tokens (each revocable).
// Every action goes through the one confirmation dialog (action-dialog-client.tsx) and lands in
// the audit log; the "history" link opens that account's entries there. An admin has no Disable
// button on their own row (it would sign them out mid-page): another admin, or the CLI, does that.

const ROLE_SAYS: Record<Role, string> = {
  viewer: "they can read everything and change nothing",
  operator: "they can also re-run, cancel, backfill and pause",
  admin: "they can also edit services, channels and accounts",
};

const userAction = (person: Person, action: string, body: Record<string, unknown> = {}): ActionRequest => ({
  url: `/api/v1/users/${encodeURIComponent(person.id)}/${action}`,
  body,
});

function RolePicker({ person, self }: { person: Person; self: boolean }) {
  const open = useOpenAction();
  const [pick, setPick] = useState<Role>(person.role);
  const id = `role-${person.id}`;
  return (
    <form
      className="flex items-center gap-1"
      onSubmit={(e) => {
        e.preventDefault();
        open({
          label: "Change role",
          title: `Make ${person.email} ${pick}`,
          sentence: `Make ${person.email} ${pick} (now ${person.role}): ${ROLE_SAYS[pick]}, from their next request on.${self && pick !== "admin" ? " That is you: this page closes to you at once." : ""}`,
          request: userAction(person, "role", { role: pick }),
          danger: pick === "admin",
        });
      }}
    >
      <label htmlFor={id} className="sr-only">
        Role of {person.email}
      </label>
      <select id={id} value={pick} onChange={(e) => setPick(e.target.value as Role)} className="rounded border border-zinc-300 bg-white px-1 py-0.5 text-xs dark:border-zinc-600 dark:bg-zinc-900">
        {roles.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      {pick !== person.role ? (
        <button type="submit" className={BUTTON.small}>
          Change…
        </button>
      ) : null}
    </form>
  );
}

function TokenList({ person, now }: { person: Person; now: string }) {
  const live = person.tokens.filter((t) => t.state === "active");
  const gone = person.tokens.length - live.length;
  if (person.tokens.length === 0) return <span className="text-zinc-500">none</span>;
  return (
    <ul className="space-y-1">
      {live.map((t: PersonToken) => (
        <li key={t.id} className="flex flex-wrap items-center gap-x-2">
          <span className="font-mono">{t.name}</span>
          <span className="text-zinc-500">
            used {t.lastUsedAt ? formatAgo(t.lastUsedAt, now) : "never"} · {t.expiresAt ? `expires ${t.expiresAt.slice(0, 10)}` : "never expires"}
          </span>
          <ConfirmAction
            small
            label="Revoke"
            ariaLabel={`Revoke the token ${t.name} of ${person.email}`}
            title={`Revoke the token ${t.name}`}
            sentence={`Revoke the API token "${t.name}" of ${person.email}: every script or client that uses it is refused from its next call. This cannot be undone; they can make a new one on their Account page.`}
            request={userAction(person, "revoke-token", { token: t.id })}
            danger
          />
        </li>
      ))}
      {gone > 0 ? <li className="text-zinc-500">{gone} expired or revoked</li> : null}
    </ul>
  );
}

export type PeopleData = { users: Person[]; now: string };

/** emailChannels: the e-mail alert channels that can e-mail a password link too (lib/control/email-link.ts). */
export function PeopleClient({ initialData, me, emailChannels = [] }: { initialData: PeopleData; me: string; emailChannels?: string[] }) {
  const emailChoice = emailLinkChoice(emailChannels);
  const { data } = useQuery({
    queryKey: [...dashboardKeys.all, "people"],
    queryFn: ({ signal }) => fetchJson<PeopleData>("/api/v1/users", signal),
    initialData,
    refetchInterval: SLOW_POLL_MS,
  });
  const now = data.now;
  return (
    <div className={TABLE_FRAME}>
      <table className={`${TABLE} ${STACKED_TABLE}`}>
        <caption className="sr-only">Accounts, enabled ones first</caption>
        <TableHeader columns={["Person", "Role", "Sign-in", "API tokens", ""]} className={STACKED_HEAD} />
        <tbody className={TBODY}>
          {data.users.map((p) => (
            <tr key={p.id} className={`align-top ${STACKED_ROW}`} data-testid="person">
              <th scope="row" data-label="Person" className={stacked(`${TD} text-left font-normal ${p.disabledAt ? "text-zinc-500" : ""}`)}>
                <div className="min-w-0">
                  <div className="font-medium">
                    {p.name}
                    {p.id === me ? <span className="ml-1 text-xs text-zinc-500">(you)</span> : null}
                  </div>
                  <div className="text-xs text-zinc-500 [overflow-wrap:anywhere]">{p.email}</div>
                </div>
              </th>
              <td data-label="Role" className={stacked(`${TD} text-xs`)}>
                {p.disabledAt ? p.role : <RolePicker key={p.role} person={p} self={p.id === me} />}
              </td>
              <td data-label="Sign-in" className={stacked(`${TD} text-xs`)}>
                {p.disabledAt ? (
                  <span className="font-medium text-red-700 dark:text-red-400">disabled {formatAgo(p.disabledAt, now)}</span>
                ) : !p.hasPassword ? (
                  `invited: no password yet${p.linkExpiresAt ? `; their link works until ${p.linkExpiresAt.slice(0, 16).replace("T", " ")} UTC` : "; their link has expired (make a new one)"}`
                ) : p.sessions > 0 ? (
                  `signed in on ${p.sessions} browser${p.sessions === 1 ? "" : "s"}, last ${formatAgo(p.lastSignInAt, now)}`
                ) : p.lastSignInAt ? (
                  `signed out; last signed in ${formatAgo(p.lastSignInAt, now)}`
                ) : (
                  "never signed in"
                )}
              </td>
              <td data-label="Tokens" className={stacked(`${TD} text-xs`)}>
                <TokenList person={p} now={now} />
              </td>
              <td data-label="" className={stacked(`${TD} text-xs whitespace-nowrap`)}>
                <span className="flex flex-wrap items-center gap-2">
                  {p.disabledAt ? (
                    <ConfirmAction
                      small
                      label="Enable"
                      ariaLabel={`Enable ${p.email}`}
                      title={`Enable ${p.email}`}
                      sentence={`Enable ${p.email} again as ${p.role}: they can sign in, and their API tokens that have not expired or been revoked work again.`}
                      request={userAction(p, "enable")}
                    />
                  ) : p.id === me ? null : (
                    <ConfirmAction
                      small
                      label="Disable"
                      ariaLabel={`Disable ${p.email}`}
                      title={`Disable ${p.email}`}
                      sentence={`Disable ${p.email}: they are signed out everywhere at once, cannot sign in, and every API token of theirs is refused, until an admin enables them again.`}
                      request={userAction(p, "disable")}
                      danger
                    />
                  )}
                  {p.disabledAt ? null : (
                    <ConfirmAction
                      small
                      label="Password link"
                      ariaLabel={`Make a password link for ${p.email}`}
                      title={`A password link for ${p.email}`}
                      sentence={`Make a one-time link with which ${p.email} sets a new password (a forgotten one, or an invitation that expired). You send it to them${emailChoice ? " (or an e-mail channel does, below)" : ""}; it is shown once. Their current password works until they use it, and using it signs them out everywhere.`}
                      request={userAction(p, "password-link")}
                      choice={emailChoice}
                    />
                  )}
                  <Link href={`/audit?targetType=user&targetId=${encodeURIComponent(p.id)}`} prefetch={false} className="underline">
                    history
                  </Link>
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
