import type { Metadata } from "next";
import { InviteAction } from "@/components/people/invite-action-client";
import { PeopleClient } from "@/components/people/people-client";
import { requireActor } from "@/lib/auth/current-actor";
import { emailChannelNames } from "@/lib/control/email-link";
import { getPool } from "@/lib/db/client";
import { selectPeople } from "@/lib/db/queries/select-people";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "People" };

// Who may sign in and what each may do (admins only): invite someone, change a role, disable a
// leaver, revoke a token that leaked, send a forgotten password's link. An admin never sees or
// sends anyone's password; each person makes their own API tokens (app/account).
export default async function PeoplePage() {
  const actor = await requireActor("admin");
  const now = new Date();
  const [users, emailChannels] = await Promise.all([selectPeople(getPool(), now), emailChannelNames(getPool())]);
  const people = { users, now: now.toISOString() };
  return (
    <div className="space-y-6">
      <div>
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h1 className="text-2xl font-semibold">People</h1>
          <InviteAction emailChannels={emailChannels} />
        </div>
        <p className="max-w-prose text-sm text-zinc-500">
          Who may sign in, and what they may do: a <strong>viewer</strong> reads; an <strong>operator</strong> also re-runs, cancels, backfills and pauses; an{" "}
          <strong>admin</strong> also edits services, channels and accounts. A change takes effect at the person&apos;s next request and is in the audit log. Invite
          someone here (or <code className="text-xs">switchyard user add</code>): they set their own password with the link you send them (or that an e-mail channel sends them). Each person makes
          their own API tokens for scripts on their Account page (the name at the top right); you can revoke any of them here.
        </p>
      </div>
      <PeopleClient initialData={people} me={actor.id} emailChannels={emailChannels} />
    </div>
  );
}
