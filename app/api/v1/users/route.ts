// GET /api/v1/users – every account with its role, sign-ins and API tokens (admins only)
// POST /api/v1/users – invite someone: {email, name, role}; the answer's link (shown once) lets them set a password
import { withApi } from "@/lib/api/handler";
import { inviteUser } from "@/lib/control/users";
import { getPool } from "@/lib/db/client";
import { selectPeople } from "@/lib/db/queries/select-people";
import { inviteUserSchema } from "@/lib/schemas/users";

export const dynamic = "force-dynamic";

export const GET = withApi({ role: "admin" }, async () => {
  const now = new Date();
  return { users: await selectPeople(getPool(), now), now: now.toISOString() };
});

export const POST = withApi({ role: "admin", input: inviteUserSchema }, ({ input, actor }) => inviteUser(getPool(), actor, input));
