// GET /api/v1/users – every account with its role, sign-ins and API tokens (admins only)
import { withApi } from "@/lib/api/handler";
import { getPool } from "@/lib/db/client";
import { selectPeople } from "@/lib/db/queries/select-people";

export const dynamic = "force-dynamic";

export const GET = withApi({ role: "admin" }, async () => {
  const now = new Date();
  return { users: await selectPeople(getPool(), now), now: now.toISOString() };
});
