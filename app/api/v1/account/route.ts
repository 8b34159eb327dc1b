// GET /api/v1/account – who is calling: their account, role, sign-ins and API tokens (anyone signed in)
import { withApi } from "@/lib/api/handler";
import { getPool } from "@/lib/db/client";
import { selectPeople } from "@/lib/db/queries/select-people";

export const dynamic = "force-dynamic";

export const GET = withApi({ role: "viewer" }, async ({ actor }) => {
  const now = new Date();
  const [user] = await selectPeople(getPool(), now, actor.id);
  return { user: user ?? null, now: now.toISOString() };
});
