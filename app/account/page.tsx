import type { Metadata } from "next";
import { headers } from "next/headers";
import { AccountClient } from "@/components/account/account-client";
import { requireActor } from "@/lib/auth/current-actor";
import { siteOf } from "@/lib/config/public-url";
import { getPool } from "@/lib/db/client";
import { selectPeople } from "@/lib/db/queries/select-people";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Your account" };

// Anyone signed in: their account as the dashboard sees it, and their own API tokens for scripts
// and the CLI on another machine (made and revoked here; an admin sees everyone's on People).
export default async function AccountPage() {
  const actor = await requireActor("viewer");
  const now = new Date();
  const [user] = await selectPeople(getPool(), now, actor.id);
  // the address the hint's command should use: the public one when set, else the one this page was asked at
  const origin = siteOf(await headers(), "http://127.0.0.1");
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Your account</h1>
      <AccountClient initialData={{ user: user ?? null, now: now.toISOString() }} origin={origin} />
    </div>
  );
}
